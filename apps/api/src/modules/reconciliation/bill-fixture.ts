import { BILL_DETAIL_HEADER, BILL_SUMMARY_HEADER, fenToYuan, formatChinaTime } from '@shop/alipay';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import JSZip from 'jszip';

/**
 * Bills for tests, in the layout Alipay's zips (and the sandbox's) have: GBK CSVs with CRLF line ends, `#` comment
 * lines around the table, identifier cells padded with a tab, negative refund amounts, packed in a zip whose entry
 * names are GBK bytes without the UTF-8 flag. Test code only.
 */

export const DETAIL_HEADER = BILL_DETAIL_HEADER;

export const SUMMARY_HEADER = BILL_SUMMARY_HEADER;

export interface FixtureRow {
  type: 'trade' | 'refund';
  tradeNo: string;
  outTradeNo: string;
  subject?: string;
  finishedAt?: string;
  /** Signed, as in the bill (negative for refunds). */
  orderFen: number;
  receiptFen?: number;
  feeFen: number;
  outRequestNo?: string;
}

const tab = (text: string) => `${text}\t`;

function detailCells(row: FixtureRow): string[] {
  const finished = row.finishedAt ?? '2026-03-01 10:00:05';
  return [
    tab(row.tradeNo),
    tab(row.outTradeNo),
    tab(row.type === 'trade' ? '交易' : '退款'),
    row.subject ?? '羊毛大衣',
    '2026-03-01 10:00:00',
    finished,
    tab(''),
    tab(''),
    tab(''),
    tab(''),
    tab('**明(138****0001)'),
    fenToYuan(row.orderFen),
    fenToYuan(row.receiptFen ?? row.orderFen),
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '',
    tab('0.00'),
    '0.00',
    tab(row.outRequestNo ?? ''),
    fenToYuan(row.feeFen),
    '0.00',
    '',
  ];
}

const EOL = '\r\n';
const csv = (rows: string[][]) => stringify(rows, { record_delimiter: 'windows' });

export function detailCsv(
  rows: readonly FixtureRow[],
  exportedAt = new Date('2026-03-02T00:46:49Z'),
): string {
  return (
    [
      '#支付宝业务明细查询',
      '#账号：[20880000000099990156]',
      '#起始日期：[2026年03月01日 00:00:00]   终止日期：[2026年03月02日 00:00:00]',
      '#-----------------------------------------业务明细列表----------------------------------------',
    ].join(EOL) +
    EOL +
    csv([[...DETAIL_HEADER], ...rows.map(detailCells)]) +
    [
      '#-----------------------------------------业务明细列表结束------------------------------------',
      `#交易合计：${rows.filter((r) => r.type === 'trade').length}笔`,
      `#导出时间：[${formatChinaTime(exportedAt)}]`,
    ].join(EOL) +
    EOL
  );
}

export interface SummaryTotals {
  tradeCount: number;
  refundCount: number;
  orderFen: number;
  receiptFen: number;
  feeFen: number;
  netFen: number;
}

export function totalsOf(rows: readonly FixtureRow[]): SummaryTotals {
  const receipt = (r: FixtureRow) => r.receiptFen ?? r.orderFen;
  const receiptFen = rows.reduce((sum, r) => sum + receipt(r), 0);
  const feeFen = rows.reduce((sum, r) => sum + r.feeFen, 0);
  return {
    tradeCount: rows.filter((r) => r.type === 'trade').length,
    refundCount: rows.filter((r) => r.type === 'refund').length,
    orderFen: rows.reduce((sum, r) => sum + r.orderFen, 0),
    receiptFen,
    feeFen,
    netFen: receiptFen + feeFen,
  };
}

export function summaryCsv(totals: SummaryTotals): string {
  const row = (store: string) => [
    store,
    '',
    String(totals.tradeCount),
    String(totals.refundCount),
    fenToYuan(totals.orderFen),
    fenToYuan(totals.receiptFen),
    '0.00',
    '0.00',
    '0.00',
    fenToYuan(totals.feeFen),
    '0.00',
    fenToYuan(totals.netFen),
  ];
  return (
    ['#支付宝业务汇总查询', '#账号：[20880000000099990156]'].join(EOL) +
    EOL +
    csv([[...SUMMARY_HEADER], row(''), row('合计')]) +
    '#导出时间：[2026年03月02日 08:46:49]' +
    EOL
  );
}

/** A zip of GBK files with GBK entry names, as Alipay packs bills. */
export async function gbkZip(files: ReadonlyArray<{ name: string; text: string }>): Promise<Buffer> {
  const zip = new JSZip();
  for (const file of files) {
    zip.file(file.name, iconv.encode(file.text, 'gbk'), { date: new Date('2026-03-02T00:46:49Z') });
  }
  return zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    encodeFileName: (name) => iconv.encode(name, 'gbk').toString('latin1'),
  });
}

/** The usual two-file bill for `rows`. */
export async function billZip(rows: readonly FixtureRow[]): Promise<Buffer> {
  return gbkZip([
    { name: '20880000000099990156_20260301_业务明细.csv', text: detailCsv(rows) },
    { name: '20880000000099990156_20260301_业务明细(汇总).csv', text: summaryCsv(totalsOf(rows)) },
  ]);
}
