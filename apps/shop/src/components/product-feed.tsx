import type { ProductSort } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import { usePullDownRefresh, useReachBottom, stopPullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';

import { api } from '../api';
import { usePaged } from '../hooks/use-paged';
import { ProductGrid, ProductRow } from './product-card';
import { EmptyView, ErrorView, ListFooter, LoadingView } from './state';
import './product-feed.css';

const PAGE_SIZE = 20;

const SORTS: ReadonlyArray<{ key: 'newest' | 'sales' | 'price'; label: string }> = [
  { key: 'newest', label: '最新' },
  { key: 'sales', label: '销量' },
  { key: 'price', label: '价格' },
];

/** 最新 / 销量 / 价格 (tapping 价格 again flips between low-to-high and high-to-low). */
export function SortBar(props: {
  sort: ProductSort;
  onChange: (sort: ProductSort) => void;
  sticky?: boolean;
}) {
  const { sort, onChange } = props;
  return (
    <View className={`sort-bar${props.sticky === false ? '' : ' sort-bar--sticky'}`} data-testid="sort-bar">
      {SORTS.map((item) => {
        const active = item.key === 'price' ? sort.startsWith('price') : sort === item.key;
        const next: ProductSort =
          item.key === 'price' ? (sort === 'price_asc' ? 'price_desc' : 'price_asc') : item.key;
        return (
          <View
            key={item.key}
            className={`sort-bar__item${active ? ' sort-bar__item--active' : ''}`}
            data-testid={`sort-${item.key}`}
            onClick={() => onChange(next)}
          >
            <Text>{item.label}</Text>
            {item.key === 'price' ? (
              <View className="sort-bar__arrows">
                <View className={`sort-bar__up${sort === 'price_asc' ? ' sort-bar__arrow--on' : ''}`} />
                <View className={`sort-bar__down${sort === 'price_desc' ? ' sort-bar__arrow--on' : ''}`} />
              </View>
            ) : null}
          </View>
        );
      })}
    </View>
  );
}

/**
 * A product listing with sort and infinite scroll (the page's own scroll: more loads near the bottom). Used by the
 * category listing, the category tab and the search results.
 */
export function ProductFeed(props: {
  categoryId?: string;
  q?: string;
  layout?: 'grid' | 'rows';
  emptyTitle?: string;
}) {
  const { categoryId, q } = props;
  const [sort, setSort] = useState<ProductSort>('newest');
  const list = usePaged(
    (cursor) => api.products({ categoryId, q, sort, cursor, limit: PAGE_SIZE }),
    [categoryId, q, sort],
  );

  useReachBottom(() => list.loadMore());
  usePullDownRefresh(() => {
    void list.refresh().finally(() => stopPullDownRefresh());
  });

  let body;
  if (list.status === 'loading') body = <LoadingView />;
  else if (list.status === 'error') body = <ErrorView error={list.error} onRetry={list.reload} />;
  else if (list.items.length === 0)
    body = <EmptyView title={props.emptyTitle ?? '暂无商品'} hint="换个分类或关键词试试" />;
  else
    body = (
      <>
        {props.layout === 'rows' ? (
          <View className="product-rows">
            {list.items.map((product) => (
              <ProductRow key={product.id} product={product} />
            ))}
          </View>
        ) : (
          <ProductGrid products={list.items} />
        )}
        <ListFooter
          loadingMore={list.loadingMore}
          moreError={list.moreError}
          done={list.done}
          onRetry={list.loadMore}
        />
      </>
    );

  return (
    <View className="product-feed" data-testid="product-feed">
      <SortBar sort={sort} onChange={setSort} />
      {body}
    </View>
  );
}
