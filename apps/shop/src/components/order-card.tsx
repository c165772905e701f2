import type { AfterSaleView, OrderSummary } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';

import { AFTER_SALE_STATUS_TEXT } from '../lib/after-sales';
import { photoSrc } from '../lib/images';
import { amountLabel, refundSummary, STATUS_TEXT } from '../lib/orders';
import { go, pages } from '../lib/routes';
import { Button } from '../ui';
import { Price } from './price';
import './order-card.css';

/** One order in the list: number, status, first item, count, total, and the action its status allows. */
export function OrderCard(props: { order: OrderSummary; afterSale?: AfterSaleView | undefined }) {
  const { order } = props;
  const open = () => go(pages.order(order.id));
  // The button sits inside the tappable card: one tap must open one page.
  const openFromButton = (event: { stopPropagation: () => void }) => {
    event.stopPropagation();
    open();
  };
  const refunded = refundSummary(order);
  return (
    <View
      className="card order-card"
      data-testid="order-card"
      aria-label={`订单 ${order.orderNo}`}
      onClick={open}
    >
      <View className="row row--between order-card__head">
        <Text className="muted">订单号 {order.orderNo}</Text>
        <Text
          className={`order-card__status order-card__status--${order.status.toLowerCase()}`}
          data-testid="order-card-status"
        >
          {STATUS_TEXT[order.status]}
        </Text>
      </View>
      {order.firstItem ? (
        <View className="order-card__item">
          <Image
            className="order-card__image"
            src={photoSrc(order.firstItem.imageUrl, 'cart')}
            mode="aspectFill"
          />
          <View className="grow">
            <Text className="order-card__title clamp-2">{order.firstItem.title}</Text>
            <Text className="muted">{order.firstItem.specText || '默认规格'}</Text>
          </View>
        </View>
      ) : null}
      <View className="order-card__sum">
        <Text className="muted order-card__count">共 {order.itemCount} 件</Text>
        <Text data-testid="order-card-amount-label">{amountLabel(order.status)}</Text>
        <Price fen={order.totalFen} size="sm" muted />
        {refunded ? (
          <Text className="order-card__refund" data-testid="order-card-refund">
            （{refunded}）
          </Text>
        ) : null}
      </View>
      {props.afterSale ? (
        <Text className="order-card__after-sale" data-testid="order-card-after-sale">
          售后：{AFTER_SALE_STATUS_TEXT[props.afterSale.status]}
        </Text>
      ) : null}
      <View className="order-card__actions">
        {order.status === 'PENDING_PAYMENT' ? (
          <Button type="primary" size="small" data-testid="order-card-pay" onClick={openFromButton}>
            去支付
          </Button>
        ) : (
          <Button size="small" onClick={openFromButton}>
            查看详情
          </Button>
        )}
      </View>
    </View>
  );
}
