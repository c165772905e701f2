import type { Category } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';
import { stopPullDownRefresh, usePullDownRefresh } from '@tarojs/taro';

import { api } from '../../api';
import { ProductGrid } from '../../components/product-card';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { imageSrc } from '../../lib/images';
import { go, goTab, pages } from '../../lib/routes';
import searchIcon from '../../assets/icons/search.png';
import './index.css';

function CategoryGrid(props: { categories: readonly Category[] }) {
  return (
    <View className="home-categories" data-testid="home-categories">
      {props.categories.map((category) => (
        <View
          key={category.id}
          className="home-categories__item"
          aria-label={category.name}
          onClick={() => go(pages.products(category.id, category.name))}
        >
          <Image className="home-categories__icon" src={imageSrc(category.iconUrl)} />
          <Text className="home-categories__name">{category.name}</Text>
        </View>
      ))}
      <View className="home-categories__item" onClick={() => goTab('category')}>
        <View className="home-categories__icon home-categories__icon--all">
          <Text>全部</Text>
        </View>
        <Text className="home-categories__name">全部分类</Text>
      </View>
    </View>
  );
}

/** Home: the search box, the category grid and the featured products. */
export default function Home() {
  const categories = useRequest(() => api.categories(), []);
  const featured = useRequest(() => api.products({ featured: true, limit: 20 }), []);

  usePullDownRefresh(() => {
    void Promise.allSettled([categories.refresh(), featured.refresh()]).finally(() => stopPullDownRefresh());
  });

  return (
    <View className="page home">
      <View className="home-hero">
        <View className="home-hero__brand">
          <Text className="home-hero__name">支付宝小店</Text>
          <Text className="home-hero__slogan">正品好物 · 支付宝安心付</Text>
        </View>
        <View className="home-search" data-testid="home-search" onClick={() => go(pages.search())}>
          <Image className="home-search__icon" src={searchIcon} />
          <Text className="home-search__placeholder">搜索商品，如：保温杯</Text>
        </View>
      </View>

      <View className="card home-card">
        <Loaded state={categories.state} onRetry={categories.reload} home={false}>
          {(data) =>
            data.items.length === 0 ? (
              <EmptyView title="暂无分类" />
            ) : (
              <CategoryGrid categories={data.items} />
            )
          }
        </Loaded>
      </View>

      <View className="home-section">
        <Text className="home-section__title">精选推荐</Text>
        <Text className="home-section__more" onClick={() => goTab('category')}>
          全部商品
        </Text>
      </View>
      <Loaded state={featured.state} onRetry={featured.reload} home={false}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyView title="暂无精选商品" hint="去分类里逛逛吧" />
          ) : (
            <View data-testid="featured-products">
              <ProductGrid products={data.items} />
              <View className="list-footer">— 更多好物见「分类」 —</View>
            </View>
          )
        }
      </Loaded>
    </View>
  );
}
