import type { TradeStatus } from '@shop/alipay';
import type { Db } from './db';
import type { CloseReason, LedgerEntry, Refund, RefundSource, Trade, TradeEvent, TradeMethod } from './types';

/** Trades, their refunds, events and ledger entries. State changes are guarded updates whose row count is checked. */

interface TradeRow {
  trade_no: string;
  app_id: string;
  out_trade_no: string;
  subject: string;
  body: string | null;
  total_fen: number;
  buyer_user_id: string;
  buyer_by_open_id: number;
  product_code: string | null;
  method: TradeMethod;
  notify_url: string | null;
  charset: string;
  passback_params: string | null;
  status: TradeStatus;
  time_expire: string | null;
  timeout_express: string | null;
  created_at: number;
  expires_at: number;
  paid_at: number | null;
  closed_at: number | null;
  close_reason: CloseReason | null;
  refunded_fen: number;
}

interface RefundRow {
  id: number;
  trade_no: string;
  out_request_no: string;
  amount_fen: number;
  reason: string | null;
  source: RefundSource;
  created_at: number;
}

interface LedgerRow {
  id: number;
  kind: 'payment' | 'refund';
  app_id: string;
  trade_no: string;
  out_trade_no: string;
  out_request_no: string | null;
  buyer_user_id: string;
  amount_fen: number;
  buyer_balance_after_fen: number;
  created_at: number;
}

interface EventRow {
  id: number;
  trade_no: string;
  kind: string;
  detail: string | null;
  created_at: number;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

const toTrade = (row: TradeRow): Trade => ({
  tradeNo: row.trade_no,
  appId: row.app_id,
  outTradeNo: row.out_trade_no,
  subject: row.subject,
  body: row.body,
  totalFen: row.total_fen,
  buyerUserId: row.buyer_user_id,
  buyerByOpenId: row.buyer_by_open_id === 1,
  productCode: row.product_code,
  method: row.method,
  notifyUrl: row.notify_url,
  charset: row.charset,
  passbackParams: row.passback_params,
  status: row.status,
  timeExpire: row.time_expire,
  timeoutExpress: row.timeout_express,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  paidAt: date(row.paid_at),
  closedAt: date(row.closed_at),
  closeReason: row.close_reason,
  refundedFen: row.refunded_fen,
});

const toRefund = (row: RefundRow): Refund => ({
  id: row.id,
  tradeNo: row.trade_no,
  outRequestNo: row.out_request_no,
  amountFen: row.amount_fen,
  reason: row.reason,
  source: row.source,
  createdAt: new Date(row.created_at),
});

const toLedger = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  kind: row.kind,
  appId: row.app_id,
  tradeNo: row.trade_no,
  outTradeNo: row.out_trade_no,
  outRequestNo: row.out_request_no,
  buyerUserId: row.buyer_user_id,
  amountFen: row.amount_fen,
  buyerBalanceAfterFen: row.buyer_balance_after_fen,
  createdAt: new Date(row.created_at),
});

const toEvent = (row: EventRow): TradeEvent => ({
  id: row.id,
  tradeNo: row.trade_no,
  kind: row.kind,
  detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  createdAt: new Date(row.created_at),
});

export interface LedgerFilter {
  tradeNo?: string;
  outTradeNo?: string;
  buyerUserId?: string;
}

export class TradesRepo {
  constructor(private readonly db: Db) {}

  insertTrade(trade: Trade): void {
    this.db
      .prepare(
        `INSERT INTO trades (trade_no, app_id, out_trade_no, subject, body, total_fen, buyer_user_id,
           buyer_by_open_id, product_code, notify_url, charset, passback_params, status, time_expire, timeout_express,
           created_at, expires_at, paid_at, closed_at, close_reason, refunded_fen, method)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        trade.tradeNo,
        trade.appId,
        trade.outTradeNo,
        trade.subject,
        trade.body,
        trade.totalFen,
        trade.buyerUserId,
        trade.buyerByOpenId ? 1 : 0,
        trade.productCode,
        trade.notifyUrl,
        trade.charset,
        trade.passbackParams,
        trade.status,
        trade.timeExpire,
        trade.timeoutExpress,
        trade.createdAt.getTime(),
        trade.expiresAt.getTime(),
        trade.paidAt?.getTime() ?? null,
        trade.closedAt?.getTime() ?? null,
        trade.closeReason,
        trade.refundedFen,
        trade.method,
      );
  }

  find(tradeNo: string): Trade | undefined {
    const row = this.db.prepare('SELECT * FROM trades WHERE trade_no = ?').get(tradeNo) as
      TradeRow | undefined;
    return row && toTrade(row);
  }

  findByOutTradeNo(appId: string, outTradeNo: string): Trade | undefined {
    const row = this.db
      .prepare('SELECT * FROM trades WHERE app_id = ? AND out_trade_no = ?')
      .get(appId, outTradeNo) as TradeRow | undefined;
    return row && toTrade(row);
  }

  /** Every app's trades with this out_trade_no (the control API does not know the app). */
  listByOutTradeNo(outTradeNo: string): Trade[] {
    const rows = this.db
      .prepare('SELECT * FROM trades WHERE out_trade_no = ? ORDER BY created_at')
      .all(outTradeNo) as TradeRow[];
    return rows.map(toTrade);
  }

  listRecent(limit: number): Trade[] {
    const rows = this.db
      .prepare('SELECT * FROM trades ORDER BY created_at DESC LIMIT ?')
      .all(limit) as TradeRow[];
    return rows.map(toTrade);
  }

  markPaid(tradeNo: string, from: TradeStatus, paidAt: Date): boolean {
    const result = this.db
      .prepare(`UPDATE trades SET status = 'TRADE_SUCCESS', paid_at = ? WHERE trade_no = ? AND status = ?`)
      .run(paidAt.getTime(), tradeNo, from);
    return result.changes === 1;
  }

  markClosed(tradeNo: string, from: TradeStatus, closedAt: Date, reason: CloseReason): boolean {
    const result = this.db
      .prepare(
        `UPDATE trades SET status = 'TRADE_CLOSED', closed_at = ?, close_reason = ? WHERE trade_no = ? AND status = ?`,
      )
      .run(closedAt.getTime(), reason, tradeNo, from);
    return result.changes === 1;
  }

  /** Moves an unpaid trade's expiry (the control API's "expire now"). */
  setExpiresAt(tradeNo: string, at: Date): boolean {
    const result = this.db
      .prepare(`UPDATE trades SET expires_at = ? WHERE trade_no = ? AND status = 'WAIT_BUYER_PAY'`)
      .run(at.getTime(), tradeNo);
    return result.changes === 1;
  }

  /** Adds to the refunded total of a paid trade, never past its total (guarded in SQL and by a CHECK). */
  addRefunded(tradeNo: string, amountFen: number): boolean {
    const result = this.db
      .prepare(
        `UPDATE trades SET refunded_fen = refunded_fen + ?
         WHERE trade_no = ? AND status = 'TRADE_SUCCESS' AND refunded_fen + ? <= total_fen`,
      )
      .run(amountFen, tradeNo, amountFen);
    return result.changes === 1;
  }

  /** Unpaid trades whose expiry has passed, oldest first. */
  listExpired(now: Date, limit: number): Trade[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM trades WHERE status = 'WAIT_BUYER_PAY' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      )
      .all(now.getTime(), limit) as TradeRow[];
    return rows.map(toTrade);
  }

  nextExpiry(): Date | null {
    const row = this.db
      .prepare(`SELECT min(expires_at) AS at FROM trades WHERE status = 'WAIT_BUYER_PAY'`)
      .get() as { at: number | null };
    return date(row.at);
  }

  /** Trades of an app paid in [start, end), in payment order (bills). */
  listPaidBetween(appId: string, start: Date, end: Date): Trade[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM trades WHERE app_id = ? AND paid_at >= ? AND paid_at < ? ORDER BY paid_at, trade_no`,
      )
      .all(appId, start.getTime(), end.getTime()) as TradeRow[];
    return rows.map(toTrade);
  }

  insertRefund(refund: Omit<Refund, 'id'>): Refund {
    const result = this.db
      .prepare(
        `INSERT INTO refunds (trade_no, out_request_no, amount_fen, reason, source, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        refund.tradeNo,
        refund.outRequestNo,
        refund.amountFen,
        refund.reason,
        refund.source,
        refund.createdAt.getTime(),
      );
    return { ...refund, id: Number(result.lastInsertRowid) };
  }

  findRefund(tradeNo: string, outRequestNo: string): Refund | undefined {
    const row = this.db
      .prepare('SELECT * FROM refunds WHERE trade_no = ? AND out_request_no = ?')
      .get(tradeNo, outRequestNo) as RefundRow | undefined;
    return row && toRefund(row);
  }

  listRefunds(tradeNo: string): Refund[] {
    const rows = this.db
      .prepare('SELECT * FROM refunds WHERE trade_no = ? ORDER BY created_at, id')
      .all(tradeNo) as RefundRow[];
    return rows.map(toRefund);
  }

  /** Refunds of an app's trades made in [start, end), in time order (bills). */
  listRefundsBetween(appId: string, start: Date, end: Date): Refund[] {
    const rows = this.db
      .prepare(
        `SELECT r.* FROM refunds r JOIN trades t ON t.trade_no = r.trade_no
         WHERE t.app_id = ? AND r.created_at >= ? AND r.created_at < ? ORDER BY r.created_at, r.id`,
      )
      .all(appId, start.getTime(), end.getTime()) as RefundRow[];
    return rows.map(toRefund);
  }

  insertEvent(tradeNo: string, kind: string, detail: Record<string, unknown> | null, now: Date): void {
    this.db
      .prepare('INSERT INTO trade_events (trade_no, kind, detail, created_at) VALUES (?, ?, ?, ?)')
      .run(tradeNo, kind, detail === null ? null : JSON.stringify(detail), now.getTime());
  }

  listEvents(tradeNo: string): TradeEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM trade_events WHERE trade_no = ? ORDER BY id')
      .all(tradeNo) as EventRow[];
    return rows.map(toEvent);
  }

  insertLedger(entry: Omit<LedgerEntry, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO ledger_entries (kind, app_id, trade_no, out_trade_no, out_request_no, buyer_user_id, amount_fen,
           buyer_balance_after_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.kind,
        entry.appId,
        entry.tradeNo,
        entry.outTradeNo,
        entry.outRequestNo,
        entry.buyerUserId,
        entry.amountFen,
        entry.buyerBalanceAfterFen,
        entry.createdAt.getTime(),
      );
  }

  listLedger(filter: LedgerFilter): LedgerEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM ledger_entries
         WHERE (@tradeNo IS NULL OR trade_no = @tradeNo)
           AND (@outTradeNo IS NULL OR out_trade_no = @outTradeNo)
           AND (@buyerUserId IS NULL OR buyer_user_id = @buyerUserId)
         ORDER BY id`,
      )
      .all({
        tradeNo: filter.tradeNo ?? null,
        outTradeNo: filter.outTradeNo ?? null,
        buyerUserId: filter.buyerUserId ?? null,
      }) as LedgerRow[];
    return rows.map(toLedger);
  }
}
