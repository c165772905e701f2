import type {
  AdminAfterSaleList,
  AdminAfterSaleListQuery,
  AfterSaleList,
  AfterSaleStatus,
} from '@shop/contract';
import { OPEN_AFTER_SALE_STATUSES } from '@shop/contract';
import { sql, type Db } from '../../db';
import { afterSaleViews, countAfterSales, listAfterSaleRows } from './store';

/** Requests waiting for the merchant to act: the admin's badge counts these. */
export const AWAITING_MERCHANT: readonly AfterSaleStatus[] = ['REQUESTED', 'RETURN_SHIPPED', 'REFUND_FAILED'];

export const ADMIN_PAGE_SIZE = 20;

/** A shopper's requests, newest first (at most 50), optionally of one order. */
export async function listMyAfterSales(db: Db, userId: string, orderId?: string): Promise<AfterSaleList> {
  return sql(db).read(async (q) => {
    const rows = await listAfterSaleRows(
      q,
      { userId, ...(orderId ? { orderId } : {}) },
      { limit: 50, offset: 0 },
    );
    return { items: await afterSaleViews(q, rows) };
  });
}

/** The merchant's list: `OPEN` means every request not finished; `openCount` is the badge. */
export async function listAdminAfterSales(
  db: Db,
  query: AdminAfterSaleListQuery,
): Promise<AdminAfterSaleList> {
  const statuses =
    query.status === 'OPEN'
      ? OPEN_AFTER_SALE_STATUSES
      : query.status === undefined
        ? undefined
        : [query.status];
  return sql(db).read(async (q) => {
    const filter = statuses ? { statuses } : {};
    const rows = await listAfterSaleRows(q, filter, {
      limit: ADMIN_PAGE_SIZE,
      offset: (query.page - 1) * ADMIN_PAGE_SIZE,
    });
    return {
      items: await afterSaleViews(q, rows),
      total: await countAfterSales(q, filter),
      openCount: await countAfterSales(q, { statuses: AWAITING_MERCHANT }),
    };
  });
}
