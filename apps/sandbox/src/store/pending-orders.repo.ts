import type { Db } from './db';
import type { PendingOrder, PendingOrderKind, PendingOrderStatus } from './types';

/** Orders that are not trades yet: wap.pay requests before payment, precreate QR codes before a scan. */

interface PendingOrderRow {
  id: string;
  kind: PendingOrderKind;
  app_id: string;
  out_trade_no: string;
  subject: string;
  body: string | null;
  total_fen: number;
  product_code: string | null;
  notify_url: string | null;
  return_url: string | null;
  quit_url: string | null;
  charset: string;
  passback_params: string | null;
  time_expire: string | null;
  timeout_express: string | null;
  qr_code: string | null;
  status: PendingOrderStatus;
  trade_no: string | null;
  created_at: number;
  expires_at: number;
  closed_at: number | null;
}

const toOrder = (row: PendingOrderRow): PendingOrder => ({
  id: row.id,
  kind: row.kind,
  appId: row.app_id,
  outTradeNo: row.out_trade_no,
  subject: row.subject,
  body: row.body,
  totalFen: row.total_fen,
  productCode: row.product_code,
  notifyUrl: row.notify_url,
  returnUrl: row.return_url,
  quitUrl: row.quit_url,
  charset: row.charset,
  passbackParams: row.passback_params,
  timeExpire: row.time_expire,
  timeoutExpress: row.timeout_express,
  qrCode: row.qr_code,
  status: row.status,
  tradeNo: row.trade_no,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  closedAt: row.closed_at === null ? null : new Date(row.closed_at),
});

export class PendingOrdersRepo {
  constructor(private readonly db: Db) {}

  insert(order: PendingOrder): void {
    this.db
      .prepare(
        `INSERT INTO pending_orders (id, kind, app_id, out_trade_no, subject, body, total_fen, product_code,
           notify_url, return_url, quit_url, charset, passback_params, time_expire, timeout_express, qr_code, status,
           trade_no, created_at, expires_at, closed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        order.id,
        order.kind,
        order.appId,
        order.outTradeNo,
        order.subject,
        order.body,
        order.totalFen,
        order.productCode,
        order.notifyUrl,
        order.returnUrl,
        order.quitUrl,
        order.charset,
        order.passbackParams,
        order.timeExpire,
        order.timeoutExpress,
        order.qrCode,
        order.status,
        order.tradeNo,
        order.createdAt.getTime(),
        order.expiresAt.getTime(),
        order.closedAt?.getTime() ?? null,
      );
  }

  find(id: string): PendingOrder | undefined {
    const row = this.db.prepare('SELECT * FROM pending_orders WHERE id = ?').get(id) as
      PendingOrderRow | undefined;
    return row && toOrder(row);
  }

  findByOutTradeNo(appId: string, outTradeNo: string): PendingOrder | undefined {
    const row = this.db
      .prepare('SELECT * FROM pending_orders WHERE app_id = ? AND out_trade_no = ?')
      .get(appId, outTradeNo) as PendingOrderRow | undefined;
    return row && toOrder(row);
  }

  findByQrCode(qrCode: string): PendingOrder | undefined {
    const row = this.db.prepare('SELECT * FROM pending_orders WHERE qr_code = ?').get(qrCode) as
      PendingOrderRow | undefined;
    return row && toOrder(row);
  }

  listByOutTradeNo(outTradeNo: string): PendingOrder[] {
    const rows = this.db
      .prepare('SELECT * FROM pending_orders WHERE out_trade_no = ? ORDER BY created_at')
      .all(outTradeNo) as PendingOrderRow[];
    return rows.map(toOrder);
  }

  /** The return and quit URLs of a wap.pay order follow the latest request for it (a shopper may come back). */
  updateUrls(
    id: string,
    urls: { returnUrl: string | null; quitUrl: string | null; notifyUrl: string | null },
  ): void {
    this.db
      .prepare('UPDATE pending_orders SET return_url = ?, quit_url = ?, notify_url = ? WHERE id = ?')
      .run(urls.returnUrl, urls.quitUrl, urls.notifyUrl, id);
  }

  /** open -> closed (merchant close before any scan, or expiry); guarded. */
  markClosed(id: string, at: Date): boolean {
    const result = this.db
      .prepare(`UPDATE pending_orders SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'`)
      .run(at.getTime(), id);
    return result.changes === 1;
  }

  /** open -> traded: a buyer scanned or paid, and the trade exists; guarded. */
  markTraded(id: string, tradeNo: string): boolean {
    const result = this.db
      .prepare(`UPDATE pending_orders SET status = 'traded', trade_no = ? WHERE id = ? AND status = 'open'`)
      .run(tradeNo, id);
    return result.changes === 1;
  }
}
