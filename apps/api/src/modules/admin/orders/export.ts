import { fenToYuan, formatChinaTime } from '@shop/alipay';
import { MAX_ORDER_EXPORT_ROWS, ORDER_EXPORT_COLUMNS, type AdminOrderExportQuery } from '@shop/contract';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../../db';
import { AppError } from '../../../errors';
import { csvText } from '../../../lib/csv';
import { countMatchingOrders, matchingOrderIds } from './query';
import { summaryRows, type SummaryRow } from './service';

/**
 * The filtered orders as CSV for a spreadsheet: the list's filters and order, every matching row, amounts in yuan
 * (`fenToYuan`, `12.30`), times in China time. UTF-8 with a BOM, which Excel needs to read Chinese as UTF-8, and
 * CRLF line ends. Shipping phone and street are not exported: exported files travel further than the admin does.
 */

/** Rows are read in batches so one export never holds a huge `IN (...)` list. */
const BATCH = 500;

const chinaTime = (date: Date | null) => (date ? formatChinaTime(date) : '');

function row(order: SummaryRow): string[] {
  return [
    order.orderNo,
    order.payment?.tradeNo ?? '',
    order.status,
    chinaTime(order.createdAt),
    chinaTime(order.paidAt),
    chinaTime(order.shippedAt),
    order.user.alipayUserId ?? '',
    csvText(order.user.alipayOpenId),
    csvText(order.user.nickname),
    csvText(
      order.items
        .map((item) => `${item.title}${item.specText ? ` (${item.specText})` : ''} x${item.quantity}`)
        .join('; '),
    ),
    String(order.items.reduce((sum, item) => sum + item.quantity, 0)),
    fenToYuan(order.totalFen),
    fenToYuan(order.refundedFen),
    csvText(order.shipName),
    csvText(`${order.shipProvince} ${order.shipCity} ${order.shipDistrict}`),
    csvText(order.carrier),
    csvText(order.trackingNo),
  ];
}

export async function exportOrdersCsv(
  db: Db,
  filter: AdminOrderExportQuery,
  now: Date = new Date(),
): Promise<{ fileName: string; csv: string; rowCount: number }> {
  const total = await countMatchingOrders(db, filter);
  if (total > MAX_ORDER_EXPORT_ROWS) {
    throw new AppError(
      'VALIDATION_ERROR',
      `${total} orders match; export at most ${MAX_ORDER_EXPORT_ROWS} at a time (narrow the dates or status)`,
      { details: { total, max: MAX_ORDER_EXPORT_ROWS } },
    );
  }
  const ids = await matchingOrderIds(db, filter, { offset: 0, limit: MAX_ORDER_EXPORT_ROWS });
  const rows: string[][] = [];
  for (let start = 0; start < ids.length; start += BATCH) {
    for (const order of await summaryRows(db, ids.slice(start, start + BATCH))) rows.push(row(order));
  }
  const stamp = formatChinaTime(now).replace(/[-: ]/g, '');
  const range = filter.from || filter.to ? `-${filter.from ?? 'start'}_${filter.to ?? 'now'}` : '';
  return {
    fileName: `orders${range}-${stamp}.csv`,
    csv: stringify([[...ORDER_EXPORT_COLUMNS], ...rows], { bom: true, record_delimiter: 'windows' }),
    rowCount: rows.length,
  };
}
