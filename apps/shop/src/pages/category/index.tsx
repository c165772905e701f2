import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';

import { api } from '../../api';
import { ProductFeed } from '../../components/product-feed';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { go, pages } from '../../lib/routes';
import searchIcon from '../../assets/icons/search.png';
import './index.css';

/** The category tab: categories down the left, the chosen one's products (sorted, scrolling on) on the right. */
export default function CategoryTab() {
  const categories = useRequest(() => api.categories(), []);
  const [chosen, setChosen] = useState<string | null>(null);

  return (
    <View className="page category-page">
      <View className="category-search" onClick={() => go(pages.search())}>
        <View className="category-search__box">
          <Image className="category-search__icon" src={searchIcon} />
          <Text className="muted">搜索商品</Text>
        </View>
      </View>
      <Loaded state={categories.state} onRetry={categories.reload}>
        {(data) => {
          const first = data.items[0];
          if (!first) return <EmptyView title="暂无分类" />;
          const current = data.items.find((c) => c.id === chosen) ?? first;
          return (
            <View className="category-layout">
              <View className="category-side" data-testid="category-side">
                {data.items.map((category) => (
                  <View
                    key={category.id}
                    className={`category-side__item${category.id === current.id ? ' category-side__item--active' : ''}`}
                    onClick={() => setChosen(category.id)}
                  >
                    {category.name}
                  </View>
                ))}
              </View>
              <View className="category-main">
                <ProductFeed
                  key={current.id}
                  categoryId={current.id}
                  layout="rows"
                  emptyTitle="这个分类还没有商品"
                />
              </View>
            </View>
          );
        }}
      </Loaded>
    </View>
  );
}
