import type { AdminOrderExportQuery } from '@shop/contract';
import { readInt, type Dialect, type SqlParam } from '@shop/db';
import { sql, type Db } from '../../../db';
import { chinaDateFilter } from '../dates';

/**
 * The order filter shared by the list and the CSV export, as one SQL statement. Written in SQL rather than Prisma's
 * `contains` because Prisma sends `contains` / `startsWith` as LIKE without escaping `%` and `_`, so a nickname
 * search for `a_b` would match `axb`; the dialect's text search compares plain text on either engine.
 */

export type OrderFilter = AdminOrderExportQuery;

function conditions(filter: OrderFilter, dialect: Dialect): { where: string; params: SqlParam[] } {
  const parts = ['1 = 1'];
  const params: SqlParam[] = [];
  if (filter.status) {
    parts.push('o."status" = ?');
    params.push(filter.status);
  }
  const created = chinaDateFilter(filter.from, filter.to);
  if (created?.gte) {
    parts.push('o."createdAt" >= ?');
    params.push(created.gte);
  }
  if (created?.lt) {
    parts.push('o."createdAt" < ?');
    params.push(created.lt);
  }
  if (filter.q) {
    // Order and trade numbers: the number itself or its beginning (people paste or type the first digits).
    // Buyers: any part of the Alipay user id, open id or nickname, ignoring case.
    parts.push(`(
      ${dialect.startsWithText('o."orderNo"')}
      OR ${dialect.startsWithText(`coalesce(p."tradeNo", '')`)}
      OR ${dialect.containsText(`coalesce(u."alipayUserId", '')`)}
      OR ${dialect.containsText(`coalesce(u."alipayOpenId", '')`)}
      OR ${dialect.containsText(`coalesce(u."nickname", '')`)}
    )`);
    params.push(filter.q, filter.q, filter.q, filter.q, filter.q);
  }
  return { where: parts.join(' AND '), params };
}

function ordering(filter: OrderFilter): string {
  const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
  // Ties fall back to creation time and id, so pages never skip or repeat rows with equal keys.
  switch (filter.sort) {
    case 'totalFen':
      return `o."totalFen" ${dir}, o."createdAt" ${dir}, o."id" ${dir}`;
    case 'paidAt':
      // Unpaid orders last in both directions: they have no payment time to sort by.
      return `(o."paidAt" IS NULL) ASC, o."paidAt" ${dir}, o."createdAt" ${dir}, o."id" ${dir}`;
    case 'createdAt':
      return `o."createdAt" ${dir}, o."id" ${dir}`;
  }
}

const FROM = `
  FROM "Order" o
  JOIN "User" u ON u."id" = o."userId"
  LEFT JOIN "Payment" p ON p."orderId" = o."id"`;

/** Ids of the matching orders in the requested order, `limit` of them from `offset`. */
export async function matchingOrderIds(
  db: Db,
  filter: OrderFilter,
  window: { offset: number; limit: number },
): Promise<string[]> {
  return sql(db).read(async (q) => {
    const { where, params } = conditions(filter, q.dialect);
    const rows = await q.all<{ id: string }>(
      `SELECT o."id" ${FROM} WHERE ${where} ORDER BY ${ordering(filter)} LIMIT ? OFFSET ?`,
      ...params,
      window.limit,
      window.offset,
    );
    return rows.map((row) => row.id);
  });
}

export async function countMatchingOrders(db: Db, filter: OrderFilter): Promise<number> {
  return sql(db).read(async (q) => {
    const { where, params } = conditions(filter, q.dialect);
    const row = await q.get<{ n: number | string }>(
      `SELECT count(*) AS "n" ${FROM} WHERE ${where}`,
      ...params,
    );
    return readInt(row?.n ?? 0);
  });
}
