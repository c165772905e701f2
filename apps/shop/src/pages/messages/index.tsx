import type { ShopperMessageView } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef } from 'react';

import { api } from '../../api';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { chinaTime } from '../../lib/orders';
import { go, pages } from '../../lib/routes';
import emptyBell from '../../assets/icons/empty-bell.png';
import './index.css';

function MessageCard(props: { message: ShopperMessageView }) {
  const { message } = props;
  const { orderId } = message;
  return (
    <View
      className="card message-card"
      data-testid="shopper-message"
      aria-label={message.title}
      onClick={() => orderId && go(pages.order(orderId))}
    >
      <View className="row row--between">
        <Text className="message-card__title">{message.title}</Text>
        <Text className="muted" data-testid="shopper-message-time">
          {chinaTime(message.sentAt)}
        </Text>
      </View>
      {message.lines.map((line) => (
        <View key={line.label} className="kv message-card__line">
          <Text className="kv__key">{line.label}</Text>
          <Text className="kv__value">{line.value || '-'}</Text>
        </View>
      ))}
      {orderId ? (
        <View className="row row--between message-card__more">
          <Text>查看订单</Text>
          <View className="chevron" />
        </View>
      ) : null}
    </View>
  );
}

/**
 * 我的 › 消息通知: the subscription messages the shop sent this shopper (payment, shipping, refund), newest first, as
 * Alipay showed them; tapping one opens its order.
 */
export default function MessagesPage() {
  const list = useRequest(() => api.messages().then((data) => data.items), []);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) list.refresh().catch(() => undefined);
    shown.current = true;
  });

  return (
    <View className="page messages-page">
      <Loaded state={list.state} onRetry={list.reload}>
        {(messages) =>
          messages.length === 0 ? (
            <EmptyView
              icon={emptyBell}
              title="还没有消息通知"
              hint="下单时勾选“订阅支付、发货和退款通知”，订单付款、发货和退款时会通知你"
            />
          ) : (
            <View data-testid="shopper-message-list">
              {messages.map((message) => (
                <MessageCard key={message.id} message={message} />
              ))}
            </View>
          )
        }
      </Loaded>
    </View>
  );
}
