import { maskLogonId } from '../notify/notify-fields';
import type { BillAdjustment } from '../store/bills.repo';
import type { Buyer, Refund, Trade } from '../store/types';
import { refundedFeeFen, serviceFeeFen } from './fees';

/** One row of the detail file (业务明细), amounts in signed integer fen. */
export interface BillLine {
  kind: 'trade' | 'refund';
  tradeNo: string;
  outTradeNo: string;
  subject: string;
  createdAt: Date;
  finishedAt: Date;
  /** 对方账户: the buyer, masked as Alipay shows them (`*明(138****0001)`). */
  buyerAccount: string;
  /** 订单金额: the trade total on trade rows, minus the refund on refund rows. */
  orderFen: number;
  /** 商家实收: what the merchant received (negative on refund rows). */
  receiptFen: number;
  /** 服务费: negative on trade rows (a cost), positive on refund rows (fee given back). */
  feeFen: number;
  outRequestNo: string | null;
  remark: string;
}

export function buyerAccount(buyer: Buyer | undefined): string {
  if (!buyer) return '';
  const name = Array.from(buyer.nickname);
  const masked = name.length <= 1 ? name.join('') : `${'*'.repeat(name.length - 1)}${name.at(-1) ?? ''}`;
  return `${masked}(${maskLogonId(buyer.logonId)})`;
}

export interface BillSource {
  /** Trades paid in the bill's period. */
  paidTrades: readonly Trade[];
  /** Refunds made in the bill's period, each with its trade and every refund of that trade (for the fee split). */
  refunds: ReadonlyArray<{ refund: Refund; trade: Trade; tradeRefunds: readonly Refund[] }>;
  buyers: ReadonlyMap<string, Buyer>;
  feeRateBps: number;
}

/** Builds the detail rows: trade rows in payment order, then refund rows in refund order. */
export function buildBillLines(source: BillSource): BillLine[] {
  const lines: BillLine[] = [];
  for (const trade of source.paidTrades) {
    const paidAt = trade.paidAt as Date;
    lines.push({
      kind: 'trade',
      tradeNo: trade.tradeNo,
      outTradeNo: trade.outTradeNo,
      subject: trade.subject,
      createdAt: trade.createdAt,
      finishedAt: paidAt,
      buyerAccount: buyerAccount(source.buyers.get(trade.buyerUserId)),
      orderFen: trade.totalFen,
      receiptFen: trade.totalFen,
      feeFen: -serviceFeeFen(trade.totalFen, source.feeRateBps),
      outRequestNo: null,
      remark: trade.body ?? '',
    });
  }
  for (const { refund, trade, tradeRefunds } of source.refunds) {
    const before = tradeRefunds
      .filter(
        (other) =>
          other.createdAt < refund.createdAt ||
          (+other.createdAt === +refund.createdAt && other.id < refund.id),
      )
      .reduce((sum, other) => sum + other.amountFen, 0);
    const fee = serviceFeeFen(trade.totalFen, source.feeRateBps);
    lines.push({
      kind: 'refund',
      tradeNo: trade.tradeNo,
      outTradeNo: trade.outTradeNo,
      subject: trade.subject,
      createdAt: trade.createdAt,
      finishedAt: refund.createdAt,
      buyerAccount: buyerAccount(source.buyers.get(trade.buyerUserId)),
      orderFen: -refund.amountFen,
      receiptFen: -refund.amountFen,
      feeFen: refundedFeeFen(fee, trade.totalFen, before, refund.amountFen),
      outRequestNo: refund.outRequestNo,
      remark: refund.reason ?? '',
    });
  }
  return lines;
}

const FIELD_KEYS = { orderAmount: 'orderFen', receiptAmount: 'receiptFen', serviceFee: 'feeFen' } as const;

/** Applies test adjustments: replace an amount on a row, or leave the row out. The summary follows the detail. */
export function applyAdjustments(
  lines: readonly BillLine[],
  adjustments: readonly BillAdjustment[],
): BillLine[] {
  const out: BillLine[] = [];
  for (const line of lines) {
    const mine = adjustments.filter(
      (a) =>
        a.tradeNo === line.tradeNo &&
        (line.kind === 'trade' ? a.outRequestNo === null : a.outRequestNo === line.outRequestNo),
    );
    if (mine.some((a) => a.omit)) continue;
    const adjusted = { ...line };
    for (const a of mine) {
      if (a.field !== null && a.amountFen !== null) adjusted[FIELD_KEYS[a.field]] = a.amountFen;
    }
    out.push(adjusted);
  }
  return out;
}
