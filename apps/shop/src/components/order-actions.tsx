import type { AfterSaleView, OrderView } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';

import { api, errorMessage } from '../api';
import { AFTER_SALE_STATUS_TEXT, canApply, isOpen } from '../lib/after-sales';
import { go, pages } from '../lib/routes';
import { Button } from '../ui';
import './order-actions.css';

/** 联系商家: the shop's service phone and hours, with a way to call (Alipay) or copy it. */
export async function contactMerchant(): Promise<void> {
  try {
    const info = await api.shopInfo();
    const answer = await Taro.showModal({
      title: '联系商家',
      content: `${info.name}\n客服电话：${info.phone}\n服务时间：${info.hours}`,
      confirmText: Taro.getEnv() === Taro.ENV_TYPE.WEB ? '复制电话' : '拨打电话',
      cancelText: '关闭',
      confirmColor: '#1677ff',
    });
    if (!answer.confirm) return;
    if (Taro.getEnv() === Taro.ENV_TYPE.WEB) await Taro.setClipboardData({ data: info.phone });
    else await Taro.makePhoneCall({ phoneNumber: info.phone });
  } catch (error) {
    void Taro.showToast({ title: errorMessage(error), icon: 'none' });
  }
}

/**
 * What a shopper can do with a paid order, in the order page's bottom bar: 申请退款/售后 (or 查看售后 while a
 * request is open), 查看物流, 确认收货 and 联系商家.
 */
export function OrderActions(props: { order: OrderView; onChanged: (order: OrderView) => void }) {
  const { order } = props;
  const [requests, setRequests] = useState<AfterSaleView[] | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .afterSales(order.id)
      .then((list) => setRequests(list.items))
      .catch(() => setRequests([]));
  }, [order.id, order.status, order.refundedFen]);

  const latest = requests?.[0];
  const open = latest && isOpen(latest) ? latest : null;
  const hasTracking = Boolean(order.trackingNo);

  const receive = async () => {
    const answer = await Taro.showModal({
      title: '确认收货',
      content: '请确认已收到商品，确认后交易完成。',
      confirmText: '确认收货',
      cancelText: '再等等',
      confirmColor: '#1677ff',
    });
    if (!answer.confirm) return;
    setBusy(true);
    try {
      props.onChanged(await api.receiveOrder(order.id));
      void Taro.showToast({ title: '已确认收货', icon: 'success' });
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="bottom-bar order-actions" data-testid="order-actions">
      {latest ? (
        <Text
          className="order-actions__status"
          data-testid="order-after-sale-status"
          onClick={() => go(pages.afterSale(latest.id))}
        >
          售后：{AFTER_SALE_STATUS_TEXT[latest.status]}
        </Text>
      ) : null}
      <View className="grow" />
      <Button size="small" data-testid="order-contact" onClick={() => void contactMerchant()}>
        联系商家
      </Button>
      {hasTracking ? (
        <Button size="small" data-testid="order-logistics" onClick={() => go(pages.logistics(order.id))}>
          查看物流
        </Button>
      ) : null}
      {open ? (
        <Button size="small" data-testid="order-after-sale-view" onClick={() => go(pages.afterSale(open.id))}>
          查看售后
        </Button>
      ) : canApply(order.status) &&
        requests !== null &&
        order.refundedFen + order.refundPendingFen < order.totalFen ? (
        <Button
          size="small"
          data-testid="order-after-sale-apply"
          onClick={() => go(pages.afterSaleApply(order.id))}
        >
          申请退款/售后
        </Button>
      ) : null}
      {order.status === 'SHIPPED' ? (
        <Button
          size="small"
          type="primary"
          loading={busy}
          disabled={busy}
          data-testid="order-receive"
          onClick={() => void receive()}
        >
          确认收货
        </Button>
      ) : null}
    </View>
  );
}
