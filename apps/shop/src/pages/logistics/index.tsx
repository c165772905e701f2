import type { OrderView } from '@shop/contract';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';

import { api, ShopError } from '../../api';
import { contactMerchant } from '../../components/order-actions';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { fullAddress } from '../../lib/address';
import { chinaTime, STATUS_TEXT } from '../../lib/orders';
import { param } from '../../lib/routes';
import { Button } from '../../ui';
import './index.css';

function Logistics(props: { order: OrderView }) {
  const { order } = props;
  const copy = () => {
    if (!order.trackingNo) return;
    void Taro.setClipboardData({ data: order.trackingNo }).then(() =>
      Taro.showToast({ title: '单号已复制', icon: 'success' }),
    );
  };
  return (
    <View className="page" data-testid="logistics">
      <View className="card">
        <View className="kv">
          <Text className="kv__key">物流状态</Text>
          <Text className="kv__value">{STATUS_TEXT[order.status]}</Text>
        </View>
        <View className="kv">
          <Text className="kv__key">快递公司</Text>
          <Text className="kv__value" data-testid="logistics-carrier">
            {order.carrier ?? '暂无'}
          </Text>
        </View>
        <View className="kv">
          <Text className="kv__key">快递单号</Text>
          <View className="row">
            <Text className="kv__value" data-testid="logistics-tracking">
              {order.trackingNo ?? '暂无'}
            </Text>
            {order.trackingNo ? (
              <Button size="small" className="logistics-copy" data-testid="logistics-copy" onClick={copy}>
                复制
              </Button>
            ) : null}
          </View>
        </View>
        {order.shippedAt ? (
          <View className="kv">
            <Text className="kv__key">发货时间</Text>
            <Text className="kv__value">{chinaTime(order.shippedAt)}</Text>
          </View>
        ) : null}
      </View>
      <View className="card">
        <Text className="card__title">收货信息</Text>
        <Text>{order.address.name}</Text>
        <Text className="muted logistics-address">{fullAddress(order.address)}</Text>
        <Text className="muted logistics-note">物流轨迹请在快递公司官网或其小程序中用单号查询。</Text>
      </View>
      <View className="card">
        <Button block data-testid="logistics-contact" onClick={() => void contactMerchant()}>
          联系商家
        </Button>
      </View>
    </View>
  );
}

/** 查看物流: the carrier and tracking number of a shipped order, with a button that copies the number. */
export default function LogisticsPage() {
  const orderId = param(useRouter().params.orderId);
  const order = useRequest(
    () => (orderId ? api.order(orderId) : Promise.reject(new ShopError('没有指定订单'))),
    [orderId],
  );
  if (!orderId) return <EmptyView title="没有指定订单" />;
  return (
    <Loaded state={order.state} onRetry={order.reload}>
      {(data) => <Logistics order={data} />}
    </Loaded>
  );
}
