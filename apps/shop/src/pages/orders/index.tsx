import { ScrollView, Text, View } from '@tarojs/components';
import { stopPullDownRefresh, useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import type { AfterSaleView } from '@shop/contract';
import { useEffect, useRef, useState } from 'react';

import { api } from '../../api';
import { OrderCard } from '../../components/order-card';
import { EmptyView, ErrorView, ListFooter, LoadingView } from '../../components/state';
import { usePaged } from '../../hooks/use-paged';
import { latestByOrder } from '../../lib/after-sales';
import { ORDER_TABS, tabFor, type OrderTab } from '../../lib/orders';
import { goTab } from '../../lib/routes';
import { Button } from '../../ui';
import emptyOrders from '../../assets/icons/empty-orders.png';
import './index.css';

/** The shopper's orders, a tab per status and one for refunds, newest first, more as they scroll (cursor pages). */
export default function OrdersPage() {
  const params = useRouter().params;
  const [tab, setTab] = useState<OrderTab>(() => tabFor({ tab: params.tab, status: params.status }));
  const list = usePaged(
    (cursor) => api.orders({ status: tab.status, refunds: tab.refunds, cursor, limit: 10 }),
    [tab.key],
  );
  const shown = useRef(false);
  // Under 退款/售后 each card also says where its latest after-sale request stands (退款成功, 商家已拒绝 ...).
  const [requests, setRequests] = useState<Map<string, AfterSaleView>>(() => new Map());
  useEffect(() => {
    if (!tab.refunds || list.status !== 'ready') return;
    api
      .afterSales()
      .then((answer) => setRequests(latestByOrder(answer.items)))
      .catch(() => undefined);
  }, [tab.refunds, list.status, list.items]);

  useReachBottom(() => list.loadMore());
  usePullDownRefresh(() => {
    void list.refresh().finally(() => stopPullDownRefresh());
  });
  // Coming back from an order (paid, cancelled) shows its new status.
  useDidShow(() => {
    if (shown.current) void list.refresh();
    shown.current = true;
  });

  let body;
  if (list.status === 'loading') body = <LoadingView />;
  else if (list.status === 'error') body = <ErrorView error={list.error} onRetry={list.reload} />;
  else if (list.items.length === 0)
    body = (
      <EmptyView
        icon={emptyOrders}
        title={tab.refunds ? '还没有退款/售后订单' : '还没有相关订单'}
        action={
          <Button type="primary" size="small" onClick={() => goTab('home')}>
            去逛逛
          </Button>
        }
      />
    );
  else
    body = (
      <View data-testid="order-list">
        {list.items.map((order) => (
          <OrderCard
            key={order.id}
            order={order}
            afterSale={tab.refunds ? requests.get(order.id) : undefined}
          />
        ))}
        <ListFooter
          loadingMore={list.loadingMore}
          moreError={list.moreError}
          done={list.done}
          onRetry={list.loadMore}
        />
      </View>
    );

  return (
    <View className="page orders-page">
      <ScrollView className="order-tabs" scrollX enhanced showScrollbar={false}>
        <View className="order-tabs__row" data-testid="order-tabs">
          {ORDER_TABS.map((each) => (
            <View
              key={each.key}
              className={`order-tabs__tab${each.key === tab.key ? ' order-tabs__tab--active' : ''}`}
              data-testid={`order-tab-${each.key}`}
              aria-selected={each.key === tab.key}
              onClick={() => setTab(each)}
            >
              <Text>{each.label}</Text>
            </View>
          ))}
        </View>
      </ScrollView>
      {body}
    </View>
  );
}
