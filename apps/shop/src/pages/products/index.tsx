import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';

import { ProductFeed } from '../../components/product-feed';
import { EmptyView } from '../../components/state';
import { goTab, param } from '../../lib/routes';
import { Button } from '../../ui';
import './index.css';

/** One category's products (from the home grid): sort and infinite scroll. */
export default function ProductsPage() {
  const { categoryId, name } = useRouter().params;
  useEffect(() => {
    const title = param(name);
    if (title) void Taro.setNavigationBarTitle({ title });
  }, [name]);

  if (!categoryId)
    return (
      <EmptyView
        title="没有指定分类"
        action={
          <Button type="primary" size="small" onClick={() => goTab('category')}>
            去分类逛逛
          </Button>
        }
      />
    );
  return (
    <View className="page products-page">
      <ProductFeed categoryId={categoryId} />
    </View>
  );
}
