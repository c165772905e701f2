import {
  type GatewayCallView,
  type NotifyView,
  type PaymentTimeline,
  type PaymentView,
  type RefundView,
} from '@shop/contract';

/**
 * The order page's payment timeline: the trade, every gateway call (payment attempts, queries, closes, refunds and
 * refund queries), every notify received, every refund requested and settled, as one list in time order. The API
 * keeps them in separate lists (each oldest first); a merchant asking "did the money arrive?" reads them together.
 */
export type PaymentTimelineEntry =
  | { kind: 'payment-opened'; at: string; key: string; payment: PaymentView }
  /** `at` is Alipay's payment time; `sortAt` is when the shop learned it (see `provenAt`). */
  | { kind: 'payment-paid'; at: string; sortAt: string; key: string; payment: PaymentView }
  | { kind: 'payment-closed'; at: string; key: string; payment: PaymentView }
  | { kind: 'gateway'; at: string; key: string; call: GatewayCallView }
  | { kind: 'notify'; at: string; key: string; notify: NotifyView }
  | { kind: 'refund-requested'; at: string; key: string; refund: RefundView }
  | { kind: 'refund-succeeded'; at: string; key: string; refund: RefundView };

/**
 * When two things share a timestamp (millisecond clocks, one transaction), cause comes before effect: the trade is
 * opened, a call is made, a notify arrives, then what it proved (paid, refunded) is recorded.
 */
const KIND_ORDER: Record<PaymentTimelineEntry['kind'], number> = {
  'payment-opened': 0,
  'refund-requested': 1,
  gateway: 2,
  notify: 3,
  'payment-paid': 4,
  'refund-succeeded': 5,
  'payment-closed': 6,
};

const PAID_STATES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * When the shop learned that the payment succeeded: the first notify it applied, or the first query (or close) that
 * found the trade paid, as `paidVia` says. `paidAt` is Alipay's own payment time, whole seconds in China time, so it
 * can sort before the very call that reported it; the entry is placed by this instant instead.
 */
function provenAt(timeline: PaymentTimeline, payment: PaymentView): string | null {
  if (payment.paidVia === 'notify') {
    const applied = timeline.notifies.find(
      (n) => n.verified && (n.outcome === 'APPLIED' || n.outcome === 'AUTO_REFUND'),
    );
    if (applied !== undefined) return applied.receivedAt;
  }
  const found = timeline.gatewayCalls.find((c) => {
    if ((c.purpose !== 'query' && c.purpose !== 'close') || c.outcome !== 'success') return false;
    const status = c.result.tradeStatus ?? c.result.trade_status;
    return typeof status === 'string' && PAID_STATES.has(status);
  });
  return found?.createdAt ?? null;
}

const sortTime = (entry: PaymentTimelineEntry) =>
  Date.parse(entry.kind === 'payment-paid' ? entry.sortAt : entry.at);

export function paymentTimelineEntries(timeline: PaymentTimeline): PaymentTimelineEntry[] {
  const entries: PaymentTimelineEntry[] = [];
  const { payment } = timeline;
  if (payment !== null) {
    entries.push({ kind: 'payment-opened', at: payment.createdAt, key: 'payment-opened', payment });
    if (payment.paidAt !== null) {
      const proven = provenAt(timeline, payment);
      const sortAt =
        proven !== null && Date.parse(proven) > Date.parse(payment.paidAt) ? proven : payment.paidAt;
      entries.push({ kind: 'payment-paid', at: payment.paidAt, sortAt, key: 'payment-paid', payment });
    }
    if (payment.closedAt !== null)
      entries.push({ kind: 'payment-closed', at: payment.closedAt, key: 'payment-closed', payment });
  }
  for (const call of timeline.gatewayCalls)
    entries.push({ kind: 'gateway', at: call.createdAt, key: `call-${call.id}`, call });
  for (const notify of timeline.notifies)
    entries.push({ kind: 'notify', at: notify.receivedAt, key: `notify-${notify.id}`, notify });
  for (const refund of timeline.refunds) {
    entries.push({ kind: 'refund-requested', at: refund.createdAt, key: `refund-${refund.id}`, refund });
    if (refund.succeededAt !== null)
      entries.push({
        kind: 'refund-succeeded',
        at: refund.succeededAt,
        key: `refund-ok-${refund.id}`,
        refund,
      });
  }
  // Array.prototype.sort is stable: entries of one kind at one instant keep the API's order.
  return entries.sort((a, b) => {
    const byTime = sortTime(a) - sortTime(b);
    return byTime !== 0 ? byTime : KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
}

/** Counts for the timeline's header: what a support person checks first. */
export function paymentTimelineSummary(timeline: PaymentTimeline) {
  const attempts = timeline.gatewayCalls.filter((c) => c.purpose === 'create').length;
  const queries = timeline.gatewayCalls.filter((c) => c.purpose === 'query').length;
  const verified = timeline.notifies.filter((n) => n.verified).length;
  return {
    attempts,
    queries,
    notifies: timeline.notifies.length,
    verifiedNotifies: verified,
    rejectedNotifies: timeline.notifies.length - verified,
    refunds: timeline.refunds.length,
    autoRefunds: timeline.refunds.filter((r) => r.kind === 'AUTO_PAID_AFTER_CLOSE').length,
  };
}
