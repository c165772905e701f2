import { type GatewayCallView, type NotifyView, type PaymentTimeline, type RefundView } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { paymentTimelineEntries, paymentTimelineSummary } from './payment-timeline';

const t = (second: number) => new Date(Date.UTC(2026, 10, 21, 8, 0, second)).toISOString();

const call = (id: string, purpose: GatewayCallView['purpose'], second: number): GatewayCallView => ({
  id,
  method: `alipay.trade.${purpose}`,
  purpose,
  outcome: 'success',
  refundId: null,
  result: {},
  errorCode: null,
  errorSubCode: null,
  errorMessage: null,
  durationMs: 12,
  createdAt: t(second),
});

const notify = (id: string, second: number, verified: boolean): NotifyView => ({
  id,
  notifyId: `n-${id}`,
  receivedAt: t(second),
  verified,
  rejectReason: verified ? null : 'bad-signature',
  outcome: verified ? 'APPLIED' : 'REJECTED',
  outcomeDetail: '',
  acknowledged: verified,
  tradeStatus: 'TRADE_SUCCESS',
  totalFen: 1000,
  outBizNo: null,
  fields: {},
  rawBody: '',
});

const refund = (
  id: string,
  second: number,
  succeeded: number | null,
  kind: RefundView['kind'],
): RefundView => ({
  id,
  orderId: 'o1',
  outRequestNo: `R${id}`,
  amountFen: 300,
  reason: '少发一件',
  kind,
  status: succeeded === null ? 'PENDING' : 'SUCCEEDED',
  failureCode: null,
  failureMessage: null,
  createdAt: t(second),
  succeededAt: succeeded === null ? null : t(succeeded),
  nextQueryAt: null,
});

const timeline: PaymentTimeline = {
  orderId: 'o1',
  totalFen: 1000,
  refundedFen: 300,
  refundPendingFen: 300,
  payment: {
    outTradeNo: '2026112116000012345',
    tradeNo: '2026112122001',
    amountFen: 1000,
    method: 'alipay.trade.create',
    productCode: 'JSAPI_PAY',
    status: 'PAID',
    paidVia: 'notify',
    paidAt: t(10),
    closedAt: null,
    nextQueryAt: null,
    queryCount: 1,
    createdAt: t(1),
  },
  gatewayCalls: [
    call('c1', 'create', 1),
    call('c2', 'create', 3),
    call('c3', 'query', 20),
    call('c4', 'refund', 30),
  ],
  notifies: [notify('forged', 5, false), notify('real', 10, true)],
  refunds: [refund('r1', 30, 31, 'MERCHANT'), refund('r2', 40, null, 'MERCHANT')],
};

describe('paymentTimelineEntries', () => {
  it('puts every call, notify and refund in time order, cause before effect at one instant', () => {
    expect(paymentTimelineEntries(timeline).map((e) => e.key)).toEqual([
      'payment-opened',
      'call-c1',
      'call-c2',
      'notify-forged',
      'notify-real',
      'payment-paid',
      'call-c3',
      'refund-r1',
      'call-c4',
      'refund-ok-r1',
      'refund-r2',
    ]);
  });

  it("places the payment after the notify that proved it, though Alipay's payment time is earlier", () => {
    const payment = timeline.payment;
    if (payment === null) throw new Error('fixture has a payment');
    // Alipay's gmt_payment has whole seconds: 08:00:10.000, while the notify arrived at 08:00:10.450.
    const late = (iso: string) => new Date(Date.parse(iso) + 450).toISOString();
    const shifted = {
      ...timeline,
      notifies: timeline.notifies.map((n) => ({ ...n, receivedAt: late(n.receivedAt) })),
    };
    const keys = paymentTimelineEntries(shifted).map((e) => e.key);
    expect(keys.indexOf('payment-paid')).toBe(keys.indexOf('notify-real') + 1);
    const viaQuery = {
      ...timeline,
      payment: { ...payment, paidVia: 'query' },
      notifies: [],
      gatewayCalls: [
        { ...call('q1', 'query', 10), createdAt: late(t(10)), result: { trade_status: 'TRADE_SUCCESS' } },
      ],
    };
    expect(paymentTimelineEntries(viaQuery).map((e) => e.key)).toEqual([
      'payment-opened',
      'call-q1',
      'payment-paid',
      'refund-r1',
      'refund-ok-r1',
      'refund-r2',
    ]);
  });

  it('is empty for an order that never started paying', () => {
    expect(
      paymentTimelineEntries({ ...timeline, payment: null, gatewayCalls: [], notifies: [], refunds: [] }),
    ).toEqual([]);
  });

  it('never loses an entry: one per call and notify, one or two per refund, one per payment fact', () => {
    const entries = paymentTimelineEntries(timeline);
    const expected =
      timeline.gatewayCalls.length +
      timeline.notifies.length +
      3 /* r1 twice, r2 once */ +
      2; /* opened, paid */
    expect(entries).toHaveLength(expected);
  });
});

describe('paymentTimelineSummary', () => {
  it('counts attempts, queries, verified and rejected notifies, refunds', () => {
    const auto = {
      ...timeline,
      refunds: [...timeline.refunds, refund('r3', 50, 51, 'AUTO_PAID_AFTER_CLOSE')],
    };
    expect(paymentTimelineSummary(auto)).toEqual({
      attempts: 2,
      queries: 1,
      notifies: 2,
      verifiedNotifies: 1,
      rejectedNotifies: 1,
      refunds: 3,
      autoRefunds: 1,
    });
  });
});
