import { createHash } from 'node:crypto';
import {
  BILL_BUSINESS_TYPES,
  MAX_AMOUNT_FEN,
  parseChinaTime,
  yuanToFen,
  type BillDetailColumn,
  type BillSummaryColumn,
} from '@shop/alipay';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';

/**
 * Alipay's trade bill (alipay.data.dataservice.bill.downloadurl.query, https://opendocs.alipay.com/open/028woc): a
 * short-lived URL to a zip of GBK-encoded CSV files, a detail file (`<account>_<date>_业务明细.csv`) and a summary
 * (`..._业务明细(汇总).csv`). Each file has `#` comment lines before and after the table; identifier cells carry a
 * trailing tab (so spreadsheets keep long numbers as text); amounts are yuan with two decimals, negative on refund
 * rows. This file downloads, unzips, decodes and parses it; nothing here touches the database.
 */

export class BillFormatError extends Error {
  override readonly name = 'BillFormatError';
}

export class BillDownloadError extends Error {
  override readonly name = 'BillDownloadError';
}

/** A day's bill of a busy merchant is tens of megabytes; anything near these limits is not a bill. */
export const MAX_BILL_ZIP_BYTES = 200 * 1024 * 1024;
export const MAX_BILL_FILE_BYTES = 512 * 1024 * 1024;

/** One row of the detail file, amounts in signed integer fen as the bill has them. */
export interface BillRow {
  /** Line number in the detail file (1-based), for messages. */
  line: number;
  type: 'trade' | 'refund';
  /** 支付宝交易号 */
  tradeNo: string;
  /** 商户订单号 */
  outTradeNo: string;
  /** 退款批次号/请求号 (refund rows; null when empty). */
  outRequestNo: string | null;
  /** 订单金额（元）: positive on trade rows, negative on refund rows. */
  orderFen: number;
  /** 商家实收（元）: what the merchant received (negative on refund rows). */
  receiptFen: number;
  /** 服务费（元）: negative on trade rows (a cost), positive on refund rows (fee given back). */
  feeFen: number;
  /** 完成时间: paid (trade rows) or refunded (refund rows). */
  finishedAt: Date;
  subject: string;
}

/** The 合计 row of the summary file. */
export interface BillSummary {
  tradeCount: number;
  refundCount: number;
  orderFen: number;
  receiptFen: number;
  feeFen: number;
  netFen: number;
}

export interface BillArchive {
  /** Entry names, decoded. */
  files: string[];
  rows: BillRow[];
  /** The summary file's totals; null when the zip has no summary file. */
  summary: BillSummary | null;
}

// Columns the parser reads, by name (values from BILL_DETAIL_HEADER / BILL_SUMMARY_HEADER in @shop/alipay).
const DETAIL_COLUMNS = {
  tradeNo: '支付宝交易号',
  outTradeNo: '商户订单号',
  businessType: '业务类型',
  subject: '商品名称',
  finishedAt: '完成时间',
  orderAmount: '订单金额（元）',
  receiptAmount: '商家实收（元）',
  outRequestNo: '退款批次号/请求号',
  serviceFee: '服务费（元）',
} as const satisfies Record<string, BillDetailColumn>;

const SUMMARY_COLUMNS = {
  store: '门店编号',
  tradeCount: '交易订单总笔数',
  refundCount: '退款订单总笔数',
  orderAmount: '订单金额（元）',
  receiptAmount: '商家实收（元）',
  serviceFee: '服务费（元）',
  netAmount: '实收净额（元）',
} as const satisfies Record<string, BillSummaryColumn>;

const BUSINESS_TYPES: Record<string, BillRow['type']> = {
  [BILL_BUSINESS_TYPES.trade]: 'trade',
  [BILL_BUSINESS_TYPES.refund]: 'refund',
};

/** Bill amounts may be negative (refund rows, summary totals of refund-heavy days). */
const SIGNED = { minFen: -MAX_AMOUNT_FEN * 1000, maxFen: MAX_AMOUNT_FEN * 1000 };

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Downloads the zip behind a bill URL. The URL lives about 30 s, so this is called right after asking for it. The
 * body is read in chunks and abandoned past `maxBytes`; the whole download must finish within `timeoutMs`.
 */
export async function downloadBill(
  url: string,
  options: { timeoutMs: number; maxBytes?: number },
): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_BILL_ZIP_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw new BillDownloadError(`the bill could not be downloaded: ${describeFetchError(error)}`, {
      cause: error,
    });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new BillDownloadError(`the bill download answered HTTP ${response.status}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      // Leaving the loop by throwing cancels the stream (the iterator's return()).
      if (size > maxBytes) throw new BillDownloadError(`the bill is larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
  } catch (error) {
    if (error instanceof BillDownloadError) throw error;
    throw new BillDownloadError(`the bill download broke off: ${describeFetchError(error)}`, {
      cause: error,
    });
  }
  return Buffer.concat(chunks);
}

function describeFetchError(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(error);
}

/**
 * Entry names in Alipay's zips are GBK bytes without the zip's UTF-8 flag; fflate hands such names over as latin1
 * (one char per byte), so they are re-read as GBK. A name that already holds characters beyond latin1 was flagged
 * UTF-8 and decoded by fflate.
 */
function decodeEntryName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(name) ? name : iconv.decode(Buffer.from(name, 'latin1'), 'gbk');
}

/** Unzips a bill, decodes its CSVs from GBK and parses the detail and summary files. */
export function readBillArchive(zip: Uint8Array): BillArchive {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (file) => {
        if (file.originalSize > MAX_BILL_FILE_BYTES) {
          throw new BillFormatError(`the bill's file ${decodeEntryName(file.name)} is too large to read`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof BillFormatError) throw error;
    throw new BillFormatError(`the bill is not a readable zip: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const files = Object.entries(entries)
    .filter(([name]) => !name.endsWith('/'))
    .map(([name, bytes]) => ({ name: decodeEntryName(name), text: iconv.decode(Buffer.from(bytes), 'gbk') }));
  // The files are told apart by their header columns rather than their names, which differ between bill types
  // and accounts.
  const details = files.filter((file) => file.text.includes(DETAIL_COLUMNS.tradeNo));
  const summaries = files.filter(
    (file) => !details.includes(file) && file.text.includes(SUMMARY_COLUMNS.tradeCount),
  );
  if (details.length !== 1) {
    throw new BillFormatError(
      `the bill should hold one detail file (with a ${DETAIL_COLUMNS.tradeNo} column), found ${details.length}` +
        ` among: ${files.map((file) => file.name).join(', ') || 'no files'}`,
    );
  }
  if (summaries.length > 1) {
    throw new BillFormatError(`the bill holds ${summaries.length} summary files; expected one`);
  }
  const [detail] = details as [(typeof files)[number]];
  const summary = summaries[0];
  return {
    files: files.map((file) => file.name),
    rows: parseDetailCsv(detail.text, detail.name),
    summary: summary ? parseSummaryCsv(summary.text, summary.name) : null,
  };
}

interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * csv-parse with `#` lines as comments (only at the start of a line: a `#` inside a product name is text), blank
 * lines skipped, and rows of any width (each is checked against the header below, with its line number).
 */
function readCsv(text: string, fileName: string): CsvRecord[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    throw new BillFormatError(`${fileName} is not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  // Alipay pads identifier cells with a tab; no field has meaningful surrounding whitespace.
  return records.map(({ record, info }) => ({ cells: record.map((cell) => cell.trim()), line: info.lines }));
}

/** Header cells as compared: no spaces, and ASCII parentheses read as the full-width ones Alipay uses. */
function normalizeHeader(cell: string): string {
  return cell.replace(/\s+/g, '').replaceAll('(', '（').replaceAll(')', '）');
}

/** Finds the header row by its column names (not its position) and maps each wanted column to its index. */
function locateHeader<K extends string>(
  records: readonly CsvRecord[],
  columns: Record<K, string>,
  required: readonly K[],
  fileName: string,
): { index: number; width: number; at: Record<K, number> } {
  const index = records.findIndex((record) => {
    const cells = record.cells.map(normalizeHeader);
    return required.every((key) => cells.includes(normalizeHeader(columns[key])));
  });
  if (index < 0) {
    throw new BillFormatError(
      `${fileName} has no header row with the columns ${required.map((key) => columns[key]).join(', ')}`,
    );
  }
  const cells = (records[index] as CsvRecord).cells.map(normalizeHeader);
  const at = {} as Record<K, number>;
  for (const key of Object.keys(columns) as K[]) at[key] = cells.indexOf(normalizeHeader(columns[key]));
  return { index, width: cells.length, at };
}

function amount(cells: string[], column: number, name: string, where: string): number {
  const text = cells[column] ?? '';
  try {
    return yuanToFen(text, SIGNED);
  } catch {
    throw new BillFormatError(`${where}: ${name} ${JSON.stringify(text)} is not a yuan amount`);
  }
}

function checkWidth(record: CsvRecord, width: number, fileName: string): void {
  if (record.cells.length !== width) {
    throw new BillFormatError(
      `${fileName} line ${record.line}: ${record.cells.length} fields where the header has ${width}`,
    );
  }
}

/** Parses the detail file (业务明细): every data row after the header, each checked; the first bad one throws. */
export function parseDetailCsv(text: string, fileName = '业务明细.csv'): BillRow[] {
  const records = readCsv(text, fileName);
  const header = locateHeader<keyof typeof DETAIL_COLUMNS>(
    records,
    DETAIL_COLUMNS,
    [
      'tradeNo',
      'outTradeNo',
      'businessType',
      'finishedAt',
      'orderAmount',
      'receiptAmount',
      'outRequestNo',
      'serviceFee',
    ],
    fileName,
  );
  const { at } = header;
  return records.slice(header.index + 1).map((record): BillRow => {
    checkWidth(record, header.width, fileName);
    const { cells } = record;
    const where = `${fileName} line ${record.line}`;
    const cell = (column: number) => cells[column] ?? '';
    const businessType = cell(at.businessType);
    const type = BUSINESS_TYPES[businessType];
    if (!type) {
      throw new BillFormatError(
        `${where}: 业务类型 ${JSON.stringify(businessType)} is neither 交易 nor 退款`,
      );
    }
    const tradeNo = cell(at.tradeNo);
    const outTradeNo = cell(at.outTradeNo);
    if (!tradeNo) throw new BillFormatError(`${where}: 支付宝交易号 is empty`);
    if (!outTradeNo) throw new BillFormatError(`${where}: 商户订单号 is empty`);
    const finishedText = cell(at.finishedAt);
    const finishedAt = parseChinaTime(finishedText);
    if (!finishedAt) {
      throw new BillFormatError(`${where}: 完成时间 ${JSON.stringify(finishedText)} is not a time`);
    }
    const orderFen = amount(cells, at.orderAmount, '订单金额（元）', where);
    const receiptFen = amount(cells, at.receiptAmount, '商家实收（元）', where);
    const feeFen = amount(cells, at.serviceFee, '服务费（元）', where);
    if (type === 'trade' && (orderFen <= 0 || receiptFen < 0)) {
      throw new BillFormatError(`${where}: a trade row's amounts must be positive`);
    }
    if (type === 'refund' && (orderFen >= 0 || receiptFen > 0)) {
      throw new BillFormatError(`${where}: a refund row's amounts must be negative`);
    }
    return {
      line: record.line,
      type,
      tradeNo,
      outTradeNo,
      outRequestNo: cell(at.outRequestNo) || null,
      orderFen,
      receiptFen,
      feeFen,
      finishedAt,
      subject: at.subject >= 0 ? cell(at.subject) : '',
    };
  });
}

/** Parses the summary file (业务明细(汇总)) and returns its 合计 (total) row. */
export function parseSummaryCsv(text: string, fileName = '业务明细(汇总).csv'): BillSummary {
  const records = readCsv(text, fileName);
  const header = locateHeader(
    records,
    SUMMARY_COLUMNS,
    ['store', 'tradeCount', 'refundCount', 'orderAmount', 'receiptAmount', 'serviceFee', 'netAmount'],
    fileName,
  );
  const total = records.slice(header.index + 1).find((record) => record.cells[header.at.store] === '合计');
  if (!total) throw new BillFormatError(`${fileName} has no 合计 (total) row`);
  checkWidth(total, header.width, fileName);
  const where = `${fileName} line ${total.line}`;
  const count = (column: number, name: string) => {
    const text = total.cells[column] ?? '';
    if (!/^\d{1,9}$/.test(text))
      throw new BillFormatError(`${where}: ${name} ${JSON.stringify(text)} is not a count`);
    return Number(text);
  };
  const { at } = header;
  return {
    tradeCount: count(at.tradeCount, SUMMARY_COLUMNS.tradeCount),
    refundCount: count(at.refundCount, SUMMARY_COLUMNS.refundCount),
    orderFen: amount(total.cells, at.orderAmount, SUMMARY_COLUMNS.orderAmount, where),
    receiptFen: amount(total.cells, at.receiptAmount, SUMMARY_COLUMNS.receiptAmount, where),
    feeFen: amount(total.cells, at.serviceFee, SUMMARY_COLUMNS.serviceFee, where),
    netFen: amount(total.cells, at.netAmount, SUMMARY_COLUMNS.netAmount, where),
  };
}
