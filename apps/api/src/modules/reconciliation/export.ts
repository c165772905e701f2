import { fenToYuan } from '@shop/alipay';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db';
import { notFound } from '../../errors';

/**
 * A report as CSV for the accountant: one row per line in report order, amounts as yuan strings. UTF-8 with a BOM,
 * which spreadsheet programs need to read Chinese text as UTF-8.
 */

const COLUMNS = [
  'seq',
  'kind',
  'line_type',
  'trade_no',
  'out_trade_no',
  'out_request_no',
  'bill_amount_yuan',
  'ledger_amount_yuan',
  'detail',
  'resolved_at',
  'resolved_by',
  'resolution_note',
];

/**
 * Free text could start a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR): such cells get a leading apostrophe
 * (OWASP, CSV injection). Amounts and numbers are ours and written as they are.
 */
function text(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const yuan = (fen: number | null) => (fen === null ? '' : fenToYuan(fen));

export async function exportReportCsv(db: Db, billDate: string): Promise<{ fileName: string; csv: string }> {
  const run = await db.reconciliationRun.findUnique({ where: { billDate } });
  if (!run) throw notFound(`Reconciliation of ${billDate}`);
  const lines = await db.reconciliationLine.findMany({ where: { runId: run.id }, orderBy: { seq: 'asc' } });
  const rows = lines.map((line) => [
    String(line.seq),
    line.kind,
    line.lineType,
    line.tradeNo ?? '',
    line.outTradeNo ?? '',
    line.outRequestNo ?? '',
    yuan(line.billAmountFen),
    yuan(line.ledgerAmountFen),
    text(line.detail),
    line.resolvedAt?.toISOString() ?? '',
    text(line.resolvedById),
    text(line.resolutionNote),
  ]);
  return {
    fileName: `reconciliation-${billDate}.csv`,
    csv: stringify([COLUMNS, ...rows], { bom: true, record_delimiter: 'windows' }),
  };
}
