import type { OrderView } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';

import { api, errorMessage, ShopError } from '../../api';
import { OrderActions } from '../../components/order-actions';
import { OrderLine } from '../../components/order-line';
import { Price } from '../../components/price';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { fullAddress, maskPhone } from '../../lib/address';
import {
  amountLabel,
  chinaTime,
  closeReasonText,
  countdownText,
  STATUS_TEXT,
  timelineLines,
} from '../../lib/orders';
import { recordAgreements } from '../../lib/messages';
import { payOrder } from '../../lib/pay';
import { go, pages, param } from '../../lib/routes';
import { platform } from '../../platform';
import { Button } from '../../ui';
import './index.css';

const EXPIRED_RECHECK_MS = 5000;

/**
 * "剩余 14:05" until the order expires, ticking every second. Once it runs out the page asks the server again every
 * few seconds: the order closes when the API's expiry job gets to it, and then this countdown is gone.
 */
function Countdown(props: { expiresAt: string; onExpired: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const onExpired = useRef(props.onExpired);
  useEffect(() => {
    onExpired.current = props.onExpired;
  });
  const text = countdownText(props.expiresAt, now);
  const expired = text === null;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (!expired) return undefined;
    onExpired.current();
    const timer = setInterval(() => onExpired.current(), EXPIRED_RECHECK_MS);
    return () => clearInterval(timer);
  }, [expired]);
  return (
    <Text className="order-banner__hint" data-testid="order-countdown">
      {text ? `剩余 ${text} 未支付将自动关闭` : '支付时间已到，订单即将关闭'}
    </Text>
  );
}

function bannerHint(order: OrderView): string {
  switch (order.status) {
    case 'PAID':
      return '付款成功，等待商家发货';
    case 'SHIPPED':
      return order.carrier ? `${order.carrier} ${order.trackingNo ?? ''}` : '商家已发货，请留意物流';
    case 'COMPLETED':
      return '交易已完成，感谢你的购买';
    case 'CLOSED':
      return closeReasonText(order.closeReason) ?? '订单已关闭';
    case 'REFUNDED':
      return '款项已原路退回';
    default:
      return '';
  }
}

function OrderDetail(props: {
  order: OrderView;
  /** Paying already started without a tap (after the subscribe page): 去支付 shows it. */
  paying: boolean;
  reload: () => void;
  replaceOrder: (order: OrderView) => void;
}) {
  const { order } = props;
  const [tapped, setTapped] = useState<'pay' | 'cancel' | null>(null);
  const busy = props.paying ? 'pay' : tapped;
  const pending = order.status === 'PENDING_PAYMENT';
  const afterPayment = order.status !== 'PENDING_PAYMENT' && order.status !== 'CLOSED';

  const pay = () => {
    setTapped('pay');
    payOrder(order.id).catch((error: unknown) => {
      setTapped(null);
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
      props.reload();
    });
  };

  const cancel = async () => {
    const answer = await Taro.showModal({
      title: '取消订单',
      content: '确定要取消这笔订单吗？取消后商品库存会释放。',
      confirmText: '取消订单',
      cancelText: '再想想',
      confirmColor: '#1677ff',
    });
    if (!answer.confirm) return;
    setTapped('cancel');
    try {
      props.replaceOrder(await api.cancelOrder(order.id));
      void Taro.showToast({ title: '订单已取消', icon: 'success' });
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
      props.reload();
    } finally {
      setTapped(null);
    }
  };

  return (
    <View
      className={`page order-page${pending || afterPayment ? ' page--with-bar' : ''}`}
      data-testid="order-detail"
    >
      <View className={`order-banner order-banner--${order.status.toLowerCase()}`}>
        <Text className="order-banner__status" data-testid="order-status">
          {STATUS_TEXT[order.status]}
        </Text>
        {pending ? (
          <Countdown expiresAt={order.expiresAt} onExpired={props.reload} />
        ) : (
          <Text className="order-banner__hint">{bannerHint(order)}</Text>
        )}
      </View>

      <View className="card order-address">
        <View className="row">
          <Text className="order-address__name">{order.address.name}</Text>
          <Text className="muted">{maskPhone(order.address.phone)}</Text>
        </View>
        <Text className="order-address__line">{fullAddress(order.address)}</Text>
      </View>

      <View className="card">
        {order.items.map((item) => (
          <OrderLine
            key={item.skuId}
            line={item}
            testId="order-item"
            onClick={() => go(pages.product(item.productId))}
          />
        ))}
        <View className="kv">
          <Text className="kv__key">商品金额</Text>
          <Price fen={order.itemsFen} size="sm" muted />
        </View>
        <View className="kv">
          <Text className="kv__key">运费</Text>
          {order.shippingFen === 0 ? <Text>免运费</Text> : <Price fen={order.shippingFen} size="sm" muted />}
        </View>
        <View className="kv order-amount">
          <Text className="kv__key" data-testid="order-amount-label">
            {amountLabel(order.status, 'long')}
          </Text>
          <Price fen={order.totalFen} testId="order-total" />
        </View>
        {order.refundedFen > 0 ? (
          <View className="kv">
            <Text className="kv__key">已退款</Text>
            <Price fen={order.refundedFen} size="sm" testId="order-refunded" />
          </View>
        ) : null}
        {order.refundPendingFen > 0 ? (
          <View className="kv">
            <Text className="kv__key">退款中</Text>
            <Price fen={order.refundPendingFen} size="sm" testId="order-refund-pending" />
          </View>
        ) : null}
      </View>

      <View className="card">
        <View className="kv">
          <Text className="kv__key">订单编号</Text>
          <Text
            className="kv__value"
            data-testid="order-no"
            onClick={() => void Taro.setClipboardData({ data: order.orderNo })}
          >
            {order.orderNo}
          </Text>
        </View>
        <View className="kv">
          <Text className="kv__key">下单时间</Text>
          <Text className="kv__value">{chinaTime(order.createdAt)}</Text>
        </View>
        {order.paidAt ? (
          <View className="kv">
            <Text className="kv__key">付款时间</Text>
            <Text className="kv__value">{chinaTime(order.paidAt)}</Text>
          </View>
        ) : null}
        <View className="kv">
          <Text className="kv__key">支付方式</Text>
          <Text className="kv__value">支付宝</Text>
        </View>
        {order.note ? (
          <View className="kv">
            <Text className="kv__key">订单备注</Text>
            <Text className="kv__value">{order.note}</Text>
          </View>
        ) : null}
      </View>

      <View className="card" data-testid="order-timeline">
        <Text className="card__title">订单进度</Text>
        {timelineLines(order.timeline).map((line, index) => (
          <View
            key={`${line.at}-${index}`}
            className={`timeline__row${index === 0 ? ' timeline__row--latest' : ''}`}
          >
            <View className="timeline__dot" />
            <View className="grow">
              <Text className="timeline__text">{line.text}</Text>
              <Text className="muted">{chinaTime(line.at)}</Text>
            </View>
          </View>
        ))}
      </View>

      {pending ? (
        <View className="bottom-bar order-bar">
          <View className="grow" />
          <Button
            className="order-bar__button"
            loading={busy === 'cancel'}
            disabled={busy !== null}
            data-testid="order-cancel"
            onClick={() => void cancel()}
          >
            取消订单
          </Button>
          <Button
            className="order-bar__button"
            type="primary"
            loading={busy === 'pay'}
            disabled={busy !== null}
            data-testid="order-pay"
            onClick={pay}
          >
            去支付
          </Button>
        </View>
      ) : null}
      {afterPayment ? <OrderActions order={order} onChanged={props.replaceOrder} /> : null}
    </View>
  );
}

/**
 * One order: status (with a live countdown while unpaid), address, items, amounts incl. refunds, timeline. Back from
 * the subscribe page checkout sent the shopper to (H5, `then=pay`), it records their answer and goes on to pay, as
 * checkout would have, when the order is still unpaid.
 */
export default function OrderPage() {
  const params = useRouter().params;
  const id = param(params.id);
  const thenPay = params.then === 'pay';
  const order = useRequest(() => (id ? api.order(id) : Promise.reject(new ShopError('没有指定订单'))), [id]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) order.refresh().catch(() => undefined);
    shown.current = true;
  });
  const [subscribed] = useState(() => platform.subscribeResult());
  const [paying, setPaying] = useState(false);
  const { refresh } = order;
  useEffect(() => {
    if (!subscribed || !id) return undefined;
    let alive = true;
    const resume = async () => {
      await recordAgreements(subscribed);
      if (!thenPay) return;
      // The order as it is now (the page's copy may be older): paid meanwhile, or closed, needs no payment.
      const current = await api.order(id).catch(() => null);
      if (!alive || current?.status !== 'PENDING_PAYMENT') return;
      setPaying(true);
      await payOrder(id).catch((error: unknown) => {
        setPaying(false);
        void Taro.showToast({ title: errorMessage(error), icon: 'none' });
        refresh().catch(() => undefined);
      });
    };
    void resume();
    return () => {
      alive = false;
    };
  }, [subscribed, id, thenPay, refresh]);

  if (!id) return <EmptyView title="没有指定订单" />;
  return (
    <Loaded state={order.state} onRetry={order.reload}>
      {(data) => (
        <OrderDetail
          order={data}
          paying={paying}
          reload={() => void order.refresh().catch(() => undefined)}
          replaceOrder={order.setData}
        />
      )}
    </Loaded>
  );
}
