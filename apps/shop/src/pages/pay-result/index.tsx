import type { OrderView } from '@shop/contract';
import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter, useUnload } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';

import { api, errorMessage } from '../../api';
import { Price } from '../../components/price';
import { EmptyView, ErrorView, LoadingView } from '../../components/state';
import { outcomeOf, pendingMessage, pollBudget } from '../../lib/pay-result';
import { payOrder } from '../../lib/pay';
import { platform } from '../../platform';
import { goTab, pages, param, replace } from '../../lib/routes';
import { Button } from '../../ui';
import paidIcon from '../../assets/icons/paid.png';
import pendingIcon from '../../assets/icons/pending.png';
import failedIcon from '../../assets/icons/failed.png';
import './index.css';

const POLL_INTERVAL_MS = 1000;

type ResultState =
  | { kind: 'checking'; order: OrderView | null }
  | { kind: 'done'; order: OrderView }
  | { kind: 'error'; error: unknown };

/**
 * After the payment sheet: asks the server until it says PAID (never trusting the sheet's code), then shows paid,
 * still pending (check again / pay again) or closed.
 */
export default function PayResultPage() {
  const params = useRouter().params;
  // Back from the mobile cashier the address carries no order id (return_url takes no query of our own): the order
  // is the one the verified return names.
  const [returnedOrderId, setReturnedOrderId] = useState<string | undefined>(undefined);
  const orderId = param(params.orderId) ?? returnedOrderId;
  const resultCode = param(params.resultCode);
  const [view, setView] = useState<ResultState>({ kind: 'checking', order: null });
  const [paying, setPaying] = useState(false);
  // Back from Alipay's mobile cashier (return_url): its signed parameters, checked by the API before anything is
  // shown. Still only a hint: the order's status from the server is what says paid.
  const [wapReturn] = useState(() => platform.wapReturnParams([]));
  const [returnCheck, setReturnCheck] = useState<'none' | 'checking' | 'verified' | 'refused'>(
    wapReturn ? 'checking' : 'none',
  );
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);

  const check = useCallback(
    (budget: number) => {
      if (!orderId) return;
      if (timer.current) clearTimeout(timer.current);
      const ask = (left: number) => {
        api.order(orderId).then(
          (order) => {
            if (!alive.current) return;
            if (outcomeOf(order.status) === 'pending' && left > 1) {
              setView({ kind: 'checking', order });
              timer.current = setTimeout(() => ask(left - 1), POLL_INTERVAL_MS);
            } else setView({ kind: 'done', order });
          },
          (error: unknown) => alive.current && setView({ kind: 'error', error }),
        );
      };
      ask(budget);
    },
    [orderId],
  );

  useEffect(() => {
    if (!wapReturn) check(pollBudget(resultCode));
  }, [check, resultCode, wapReturn]);
  useEffect(() => {
    if (!wapReturn) return;
    api.verifyWapReturn(wapReturn).then(
      (verified) => {
        if (!alive.current) return;
        setReturnedOrderId(verified.orderId);
        setReturnCheck('verified');
      },
      (error: unknown) => {
        if (!alive.current) return;
        setReturnCheck('refused');
        void Taro.showToast({ title: errorMessage(error), icon: 'none' });
      },
    );
  }, [wapReturn]);
  // After the check of the return: ask the server about the order (a while when verified, once when refused).
  useEffect(() => {
    if (wapReturn && orderId && returnCheck !== 'checking')
      check(returnCheck === 'verified' ? pollBudget('9000') : 1);
  }, [check, wapReturn, orderId, returnCheck]);
  useUnload(() => {
    alive.current = false;
    if (timer.current) clearTimeout(timer.current);
  });

  if (!orderId && returnCheck === 'checking') return <LoadingView text="正在校验支付结果…" />;
  if (!orderId) return <EmptyView title="没有指定订单" />;
  const checkAgain = (budget: number) => {
    setView({ kind: 'checking', order: null });
    check(budget);
  };

  if (view.kind === 'error') return <ErrorView error={view.error} onRetry={() => checkAgain(1)} />;
  if (view.kind === 'checking')
    return (
      <View className="page" data-testid="pay-result" data-outcome="checking" data-return={returnCheck}>
        <LoadingView text="正在向服务器确认支付结果…" />
      </View>
    );

  const { order } = view;
  const outcome = outcomeOf(order.status);
  const pending = pendingMessage(resultCode);
  const payAgain = () => {
    setPaying(true);
    payOrder(order.id).catch((error: unknown) => {
      setPaying(false);
      void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    });
  };

  return (
    <View
      className="page pay-result"
      data-testid="pay-result"
      data-outcome={outcome}
      data-return={returnCheck}
    >
      <View className="card pay-result__card">
        <Image
          className="pay-result__icon"
          src={outcome === 'paid' ? paidIcon : outcome === 'closed' ? failedIcon : pendingIcon}
        />
        <Text className="pay-result__title" data-testid="pay-result-status">
          {outcome === 'paid' ? '支付成功' : outcome === 'closed' ? '订单已关闭' : pending.title}
        </Text>
        <Price fen={order.totalFen} size="lg" muted />
        <Text className="pay-result__hint">
          {outcome === 'paid'
            ? '商家会尽快为你发货'
            : outcome === 'closed'
              ? '订单已关闭，未付款的库存已释放；如已扣款，钱会原路退回'
              : pending.hint}
        </Text>
        <Text className="muted">订单号 {order.orderNo}</Text>
      </View>
      <View className="pay-result__actions">
        {outcome === 'pending' ? (
          <>
            <Button
              type="primary"
              block
              loading={paying}
              data-testid="pay-result-pay-again"
              onClick={payAgain}
            >
              重新支付
            </Button>
            <Button block data-testid="pay-result-check-again" onClick={() => checkAgain(pollBudget('9000'))}>
              我已支付，再查一次
            </Button>
          </>
        ) : null}
        <Button
          block
          type={outcome === 'pending' ? 'default' : 'primary'}
          data-testid="pay-result-view-order"
          onClick={() => replace(pages.order(order.id))}
        >
          查看订单
        </Button>
        <Button block fill="none" onClick={() => goTab('home')}>
          继续逛逛
        </Button>
      </View>
    </View>
  );
}
