import {
  BILL_BUSINESS_TYPES,
  BILL_DETAIL_HEADER,
  BILL_SUMMARY_HEADER,
  fenToYuan,
  formatChinaTime,
} from '@shop/alipay';
import { stringify } from 'csv-stringify/sync';
import type { BillLine } from './bill-lines';

/**
 * The two CSV files of a trade bill (交易账单), in the layout Alipay's zips carry: `#` comment lines, a header row,
 * data rows, `#` footer lines. Like real bills, identifier-like fields end with a tab (so spreadsheet programs keep
 * long numbers as text): consumers must trim fields. Amounts are yuan with two decimals.
 */

export const DETAIL_HEADER = BILL_DETAIL_HEADER;

export const SUMMARY_HEADER = BILL_SUMMARY_HEADER;

export interface BillMeta {
  /** The merchant account shown in `#账号：[...]`. */
  account: string;
  start: Date;
  end: Date;
  exportedAt: Date;
}

const DETAIL_RULE =
  '#-----------------------------------------业务明细列表----------------------------------------';
const DETAIL_END =
  '#-----------------------------------------业务明细列表结束------------------------------------';
const SUMMARY_RULE =
  '#-----------------------------------------业务汇总列表----------------------------------------';
const SUMMARY_END =
  '#-----------------------------------------业务汇总列表结束------------------------------------';

/** `2026年11月21日 00:00:00`, China time. */
export function chineseTimestamp(date: Date): string {
  const text = formatChinaTime(date);
  return `${text.slice(0, 4)}年${text.slice(5, 7)}月${text.slice(8, 10)}日 ${text.slice(11)}`;
}

function heading(title: string, meta: BillMeta): string[] {
  return [
    `#${title}`,
    `#账号：[${meta.account}]`,
    `#起始日期：[${chineseTimestamp(meta.start)}]   终止日期：[${chineseTimestamp(meta.end)}]`,
  ];
}

const tab = (text: string) => `${text}\t`;
const yuan = (fen: number) => fenToYuan(fen);

function detailRow(line: BillLine): string[] {
  return [
    tab(line.tradeNo),
    tab(line.outTradeNo),
    tab(BILL_BUSINESS_TYPES[line.kind]),
    line.subject,
    formatChinaTime(line.createdAt),
    formatChinaTime(line.finishedAt),
    tab(''),
    tab(''),
    tab(''),
    tab(''),
    tab(line.buyerAccount),
    yuan(line.orderFen),
    yuan(line.receiptFen),
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '',
    tab('0.00'),
    '0.00',
    tab(line.outRequestNo ?? ''),
    yuan(line.feeFen),
    '0.00',
    line.remark,
  ];
}

export interface BillTotals {
  tradeCount: number;
  refundCount: number;
  orderFen: number;
  receiptFen: number;
  tradeReceiptFen: number;
  refundReceiptFen: number;
  feeFen: number;
  /** 实收净额 = 商家实收 + 服务费 (the fee column is signed). */
  netFen: number;
}

/** Column sums of the detail rows: the summary file and the footers are exactly these. */
export function billTotals(lines: readonly BillLine[]): BillTotals {
  const totals: BillTotals = {
    tradeCount: 0,
    refundCount: 0,
    orderFen: 0,
    receiptFen: 0,
    tradeReceiptFen: 0,
    refundReceiptFen: 0,
    feeFen: 0,
    netFen: 0,
  };
  for (const line of lines) {
    if (line.kind === 'trade') {
      totals.tradeCount++;
      totals.tradeReceiptFen += line.receiptFen;
    } else {
      totals.refundCount++;
      totals.refundReceiptFen += line.receiptFen;
    }
    totals.orderFen += line.orderFen;
    totals.receiptFen += line.receiptFen;
    totals.feeFen += line.feeFen;
  }
  totals.netFen = totals.receiptFen + totals.feeFen;
  return totals;
}

// Alipay's files use CRLF line ends (they are made for Excel on Windows).
const EOL = '\r\n';
const csv = (rows: string[][]) => stringify(rows, { record_delimiter: 'windows' });

export function renderDetailCsv(lines: readonly BillLine[], meta: BillMeta): string {
  const totals = billTotals(lines);
  return (
    [...heading('支付宝业务明细查询', meta), DETAIL_RULE].join(EOL) +
    EOL +
    csv([[...DETAIL_HEADER], ...lines.map(detailRow)]) +
    [
      DETAIL_END,
      `#交易合计：${totals.tradeCount}笔，商家实收共${yuan(totals.tradeReceiptFen)}元，商家优惠共0.00元`,
      `#退款合计：${totals.refundCount}笔，商家实收退款共${yuan(totals.refundReceiptFen)}元，商家优惠退款共0.00元`,
      `#导出时间：[${chineseTimestamp(meta.exportedAt)}]`,
    ].join(EOL) +
    EOL
  );
}

function summaryRow(store: string, totals: BillTotals): string[] {
  return [
    store,
    '',
    String(totals.tradeCount),
    String(totals.refundCount),
    yuan(totals.orderFen),
    yuan(totals.receiptFen),
    '0.00',
    '0.00',
    '0.00',
    yuan(totals.feeFen),
    '0.00',
    yuan(totals.netFen),
  ];
}

/** One row for the (single, unnamed) store, then the 合计 row; the sandbox has no stores, so they are equal. */
export function renderSummaryCsv(lines: readonly BillLine[], meta: BillMeta): string {
  const totals = billTotals(lines);
  return (
    [...heading('支付宝业务汇总查询', meta), SUMMARY_RULE].join(EOL) +
    EOL +
    csv([[...SUMMARY_HEADER], summaryRow('', totals), summaryRow('合计', totals)]) +
    [SUMMARY_END, `#导出时间：[${chineseTimestamp(meta.exportedAt)}]`].join(EOL) +
    EOL
  );
}
