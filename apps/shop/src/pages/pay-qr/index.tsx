import type { OrderView, PaymentQrResponse } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter, useUnload } from '@tarojs/taro';
import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState } from 'react';

import { api, errorMessage } from '../../api';
import { Price } from '../../components/price';
import { EmptyView, ErrorView, LoadingView } from '../../components/state';
import { countdownText } from '../../lib/countdown';
import { outcomeOf } from '../../lib/pay-result';
import { pages, param, replace } from '../../lib/routes';
import { Button } from '../../ui';
import './index.css';

const POLL_INTERVAL_MS = 2000;

interface ShownCode {
  qr: PaymentQrResponse;
  /** The code drawn as a PNG data URL. */
  image: string;
}

/**
 * Paying from a desktop browser: the order's QR code (alipay.trade.precreate) for the shopper to scan with the
 * Alipay app, with its expiry counting down. The page asks the server every two seconds and moves on to the result
 * page once the order is paid (or closed); an expired code is greyed out and a new one is one tap away.
 */
export default function PayQrPage() {
  const orderId = param(useRouter().params.orderId);
  const [order, setOrder] = useState<OrderView | null>(null);
  const [code, setCode] = useState<ShownCode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());
  const [renewing, setRenewing] = useState(false);
  const alive = useRef(true);

  const fetchCode = useCallback(async () => {
    if (!orderId) return;
    const qr = await api.startQrPayment(orderId);
    const image = await QRCode.toDataURL(qr.qrCode, { margin: 1, width: 440, errorCorrectionLevel: 'M' });
    if (alive.current) setCode({ qr, image });
  }, [orderId]);

  useEffect(() => {
    if (!orderId) return;
    Promise.all([api.order(orderId).then((o) => alive.current && setOrder(o)), fetchCode()]).catch(
      (e: unknown) => alive.current && setError(e),
    );
  }, [orderId, fetchCode]);

  // The countdown, and the order's status: paid or closed moves on to the result page.
  useEffect(() => {
    if (!orderId) return undefined;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const poll = setInterval(() => {
      api.order(orderId).then(
        (latest) => {
          if (!alive.current) return;
          setOrder(latest);
          if (outcomeOf(latest.status) !== 'pending') replace(pages.payResult(orderId));
        },
        () => undefined,
      );
    }, POLL_INTERVAL_MS);
    return () => {
      clearInterval(tick);
      clearInterval(poll);
    };
  }, [orderId]);
  useUnload(() => {
    alive.current = false;
  });

  if (!orderId) return <EmptyView title="没有指定订单" />;
  if (error) return <ErrorView error={error} onRetry={() => setError(null)} />;
  if (!code || !order) return <LoadingView text="正在生成付款码…" />;

  const expiresAtMs = new Date(code.qr.expiresAt).getTime();
  const expired = expiresAtMs <= now;
  const renew = () => {
    setRenewing(true);
    fetchCode()
      .catch((e: unknown) => void Taro.showToast({ title: errorMessage(e), icon: 'none' }))
      .finally(() => alive.current && setRenewing(false));
  };

  return (
    <View
      className="page pay-qr"
      data-testid="pay-qr"
      data-state={expired ? 'expired' : 'active'}
      data-qr-content={code.qr.qrCode}
      data-out-trade-no={code.qr.outTradeNo}
    >
      <View className="card pay-qr__card">
        <Text className="pay-qr__title">打开支付宝扫一扫</Text>
        <Price fen={order.totalFen} size="lg" />
        <Image
          className={`pay-qr__code${expired ? ' pay-qr__code--expired' : ''}`}
          src={code.image}
          data-testid="pay-qr-image"
        />
        {expired ? (
          <Text className="pay-qr__hint" data-testid="pay-qr-expired">
            付款码已过期，请刷新后重新扫码
          </Text>
        ) : (
          <Text className="pay-qr__countdown" data-testid="pay-qr-countdown">
            付款码 {countdownText(expiresAtMs, now)} 后过期
          </Text>
        )}
        <Text className="pay-qr__hint">付款完成后本页会自动跳转，请勿关闭</Text>
        <Text className="muted">订单号 {order.orderNo}</Text>
      </View>
      <View className="pay-qr__actions">
        {expired ? (
          <Button type="primary" block loading={renewing} data-testid="pay-qr-renew" onClick={renew}>
            刷新付款码
          </Button>
        ) : null}
        <Button block data-testid="pay-qr-view-order" onClick={() => replace(pages.order(order.id))}>
          查看订单
        </Button>
      </View>
    </View>
  );
}
