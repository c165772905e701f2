import { COMMON_CARRIERS, type AfterSaleView } from '@shop/contract';
import { Image, Input, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';

import { api, errorMessage, ShopError } from '../../api';
import { contactMerchant } from '../../components/order-actions';
import { Price } from '../../components/price';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { AFTER_SALE_KIND_TEXT, AFTER_SALE_STATUS_HINT, AFTER_SALE_STATUS_TEXT } from '../../lib/after-sales';
import { imageSrc } from '../../lib/images';
import { chinaTime } from '../../lib/orders';
import { go, pages, param } from '../../lib/routes';
import { Button } from '../../ui';
import './index.css';

/** The return's tracking number: the carrier from the list, the number typed in. */
function ReturnForm(props: { request: AfterSaleView; onDone: (view: AfterSaleView) => void }) {
  const [carrierIndex, setCarrierIndex] = useState(0);
  const [trackingNo, setTrackingNo] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!/^[A-Za-z0-9-]{4,40}$/.test(trackingNo.trim())) {
      void Taro.showToast({ title: '请填写正确的快递单号', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      props.onDone(
        await api.returnAfterSale(props.request.id, {
          carrier: COMMON_CARRIERS[carrierIndex] ?? COMMON_CARRIERS[0],
          trackingNo: trackingNo.trim(),
        }),
      );
      void Taro.showToast({ title: '已提交退货单号', icon: 'success' });
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card" data-testid="return-form">
      <Text className="card__title">填写退货物流</Text>
      <Picker
        mode="selector"
        range={[...COMMON_CARRIERS]}
        value={carrierIndex}
        onChange={(e) => setCarrierIndex(Number(e.detail.value))}
      >
        <View className="kv">
          <Text className="kv__key">快递公司</Text>
          <Text className="kv__value">{COMMON_CARRIERS[carrierIndex]} ›</Text>
        </View>
      </Picker>
      <View className="kv">
        <Text className="kv__key">快递单号</Text>
        <Input
          className="kv__value after-sale-input"
          placeholder="请输入快递单号"
          value={trackingNo}
          data-testid="return-tracking"
          onInput={(e) => setTrackingNo(e.detail.value)}
        />
      </View>
      <Button
        type="primary"
        block
        loading={busy}
        disabled={busy}
        data-testid="return-submit"
        onClick={() => void submit()}
      >
        提交
      </Button>
    </View>
  );
}

function Progress(props: { request: AfterSaleView; replace: (view: AfterSaleView) => void }) {
  const { request } = props;
  const [busy, setBusy] = useState(false);
  const cancellable = request.status === 'REQUESTED' || request.status === 'AWAITING_RETURN';

  const cancel = async () => {
    const answer = await Taro.showModal({
      title: '撤销申请',
      content: '撤销后本次售后申请将关闭，确定撤销吗？',
      confirmText: '撤销申请',
      cancelText: '再想想',
      confirmColor: '#1677ff',
    });
    if (!answer.confirm) return;
    setBusy(true);
    try {
      props.replace(await api.cancelAfterSale(request.id));
      void Taro.showToast({ title: '已撤销', icon: 'success' });
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page page--with-bar" data-testid="after-sale-detail">
      <View className={`order-banner after-sale-banner after-sale-banner--${request.status.toLowerCase()}`}>
        <Text className="order-banner__status" data-testid="after-sale-status">
          {AFTER_SALE_STATUS_TEXT[request.status]}
        </Text>
        <Text className="order-banner__hint">{AFTER_SALE_STATUS_HINT[request.status]}</Text>
      </View>

      {request.status === 'REFUSED' && request.refuseReason ? (
        <View className="card">
          <Text className="card__title">商家拒绝原因</Text>
          <Text data-testid="after-sale-refuse-reason">{request.refuseReason}</Text>
        </View>
      ) : null}

      {request.status === 'AWAITING_RETURN' ? <ReturnForm request={request} onDone={props.replace} /> : null}

      <View className="card">
        <View className="kv">
          <Text className="kv__key">退款金额</Text>
          <Price fen={request.amountFen} testId="after-sale-amount" />
        </View>
        <View className="kv">
          <Text className="kv__key">售后类型</Text>
          <Text className="kv__value">{AFTER_SALE_KIND_TEXT[request.kind]}</Text>
        </View>
        <View className="kv">
          <Text className="kv__key">退款原因</Text>
          <Text className="kv__value">{request.reason}</Text>
        </View>
        {request.description ? (
          <View className="kv">
            <Text className="kv__key">补充描述</Text>
            <Text className="kv__value">{request.description}</Text>
          </View>
        ) : null}
        <View className="kv">
          <Text className="kv__key">退款商品</Text>
          <Text className="kv__value">
            {request.lines.length
              ? request.lines.map((l) => `${l.title} × ${l.quantity}`).join('，')
              : '整单'}
          </Text>
        </View>
        {request.returnTrackingNo ? (
          <View className="kv">
            <Text className="kv__key">退货物流</Text>
            <Text className="kv__value">
              {request.returnCarrier} {request.returnTrackingNo}
            </Text>
          </View>
        ) : null}
        <View className="kv">
          <Text className="kv__key">订单编号</Text>
          <Text className="kv__value" onClick={() => go(pages.order(request.orderId))}>
            {request.orderNo} ›
          </Text>
        </View>
        <View className="kv">
          <Text className="kv__key">申请时间</Text>
          <Text className="kv__value">{chinaTime(request.createdAt)}</Text>
        </View>
        {request.photos.length ? (
          <View className="after-sale-photos">
            {request.photos.map((photo) => (
              <Image
                key={photo}
                className="after-sale-photos__item"
                src={imageSrc(photo)}
                mode="aspectFill"
              />
            ))}
          </View>
        ) : null}
      </View>

      <View className="bottom-bar">
        <View className="grow" />
        <Button size="small" data-testid="after-sale-contact" onClick={() => void contactMerchant()}>
          联系商家
        </Button>
        {cancellable ? (
          <Button
            size="small"
            loading={busy}
            disabled={busy}
            data-testid="after-sale-cancel"
            onClick={() => void cancel()}
          >
            撤销申请
          </Button>
        ) : null}
      </View>
    </View>
  );
}

/** One after-sale request: where it stands, the merchant's reason if refused, the return form, cancel. */
export default function AfterSalePage() {
  const id = param(useRouter().params.id);
  const request = useRequest(
    () => (id ? api.afterSale(id) : Promise.reject(new ShopError('没有指定售后申请'))),
    [id],
  );
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) request.refresh().catch(() => undefined);
    shown.current = true;
  });
  if (!id) return <EmptyView title="没有指定售后申请" />;
  return (
    <Loaded state={request.state} onRetry={request.reload}>
      {(data) => <Progress request={data} replace={request.setData} />}
    </Loaded>
  );
}
