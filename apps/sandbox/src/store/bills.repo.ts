import type { Db } from './db';

/** Test adjustments to generated bills, short-lived download tokens, and sandbox settings. */

export type AdjustableField = 'orderAmount' | 'receiptAmount' | 'serviceFee';

export interface BillAdjustment {
  id: number;
  tradeNo: string;
  /** Set to adjust a refund row; absent for the trade row. */
  outRequestNo: string | null;
  field: AdjustableField | null;
  amountFen: number | null;
  /** Leave the row out of the bill altogether. */
  omit: boolean;
  createdAt: Date;
}

interface AdjustmentRow {
  id: number;
  trade_no: string;
  out_request_no: string | null;
  field: AdjustableField | null;
  amount_fen: number | null;
  omit: number;
  created_at: number;
}

const toAdjustment = (row: AdjustmentRow): BillAdjustment => ({
  id: row.id,
  tradeNo: row.trade_no,
  outRequestNo: row.out_request_no,
  field: row.field,
  amountFen: row.amount_fen,
  omit: row.omit === 1,
  createdAt: new Date(row.created_at),
});

export interface BillDownload {
  token: string;
  appId: string;
  billDate: string;
  expiresAt: Date;
}

export class BillsRepo {
  constructor(private readonly db: Db) {}

  insertAdjustment(adjustment: Omit<BillAdjustment, 'id'>): BillAdjustment {
    const result = this.db
      .prepare(
        `INSERT INTO bill_adjustments (trade_no, out_request_no, field, amount_fen, omit, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        adjustment.tradeNo,
        adjustment.outRequestNo,
        adjustment.field,
        adjustment.amountFen,
        adjustment.omit ? 1 : 0,
        adjustment.createdAt.getTime(),
      );
    return { ...adjustment, id: Number(result.lastInsertRowid) };
  }

  listAdjustments(): BillAdjustment[] {
    return (this.db.prepare('SELECT * FROM bill_adjustments ORDER BY id').all() as AdjustmentRow[]).map(
      toAdjustment,
    );
  }

  deleteAdjustments(): number {
    return this.db.prepare('DELETE FROM bill_adjustments').run().changes;
  }

  insertDownload(download: BillDownload): void {
    this.db
      .prepare('INSERT INTO bill_downloads (token, app_id, bill_date, expires_at) VALUES (?, ?, ?, ?)')
      .run(download.token, download.appId, download.billDate, download.expiresAt.getTime());
    // Expired tokens are useless; keep the table small.
    this.db.prepare('DELETE FROM bill_downloads WHERE expires_at < ?').run(Date.now() - 86_400_000);
  }

  findDownload(token: string): BillDownload | undefined {
    const row = this.db.prepare('SELECT * FROM bill_downloads WHERE token = ?').get(token) as
      { token: string; app_id: string; bill_date: string; expires_at: number } | undefined;
    return (
      row && {
        token: row.token,
        appId: row.app_id,
        billDate: row.bill_date,
        expiresAt: new Date(row.expires_at),
      }
    );
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
