import type { AdminOrderExportQuery } from '@shop/contract';
import { Prisma } from '@shop/db';
import type { DbOrTx } from '../../../db';
import { chinaDateFilter } from '../dates';

/**
 * The order filter shared by the list and the CSV export, as one SQL statement. Written in SQL rather than Prisma's
 * `contains` because Prisma sends `contains` / `startsWith` to SQLite as LIKE without escaping `%` and `_`, so a
 * nickname search for `a_b` would match `axb`; `instr` compares plain text. Dates are stored by Prisma as ISO text
 * (`2026-11-21T08:00:00.000+00:00`), the format it binds Date parameters in, so they compare as text.
 */

export type OrderFilter = AdminOrderExportQuery;

function conditions(filter: OrderFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (filter.status) parts.push(Prisma.sql`o."status" = ${filter.status}`);
  const created = chinaDateFilter(filter.from, filter.to);
  if (created?.gte) parts.push(Prisma.sql`o."createdAt" >= ${created.gte}`);
  if (created?.lt) parts.push(Prisma.sql`o."createdAt" < ${created.lt}`);
  if (filter.q) {
    const q = filter.q;
    // Order and trade numbers: the number itself or its beginning (people paste or type the first digits).
    // Buyers: any part of the Alipay user id, open id or nickname, ignoring case.
    parts.push(Prisma.sql`(
      instr(o."orderNo", ${q}) = 1
      OR instr(coalesce(p."tradeNo", ''), ${q}) = 1
      OR instr(coalesce(u."alipayUserId", ''), ${q}) > 0
      OR instr(coalesce(u."alipayOpenId", ''), ${q}) > 0
      OR instr(lower(coalesce(u."nickname", '')), lower(${q})) > 0
    )`);
  }
  return Prisma.join(parts, ' AND ');
}

function ordering(filter: OrderFilter): Prisma.Sql {
  const dir = Prisma.raw(filter.order === 'asc' ? 'ASC' : 'DESC');
  // Ties fall back to creation time and id, so pages never skip or repeat rows with equal keys.
  switch (filter.sort) {
    case 'totalFen':
      return Prisma.sql`o."totalFen" ${dir}, o."createdAt" ${dir}, o."id" ${dir}`;
    case 'paidAt':
      // Unpaid orders last in both directions: they have no payment time to sort by.
      return Prisma.sql`(o."paidAt" IS NULL) ASC, o."paidAt" ${dir}, o."createdAt" ${dir}, o."id" ${dir}`;
    case 'createdAt':
      return Prisma.sql`o."createdAt" ${dir}, o."id" ${dir}`;
  }
}

const FROM = Prisma.sql`
  FROM "Order" o
  JOIN "User" u ON u."id" = o."userId"
  LEFT JOIN "Payment" p ON p."orderId" = o."id"`;

/** Ids of the matching orders in the requested order, `limit` of them from `offset`. */
export async function matchingOrderIds(
  db: DbOrTx,
  filter: OrderFilter,
  window: { offset: number; limit: number },
): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT o."id" ${FROM}
    WHERE ${conditions(filter)}
    ORDER BY ${ordering(filter)}
    LIMIT ${window.limit} OFFSET ${window.offset}`;
  return rows.map((row) => row.id);
}

export async function countMatchingOrders(db: DbOrTx, filter: OrderFilter): Promise<number> {
  const rows = await db.$queryRaw<Array<{ n: bigint | number }>>`
    SELECT count(*) AS n ${FROM}
    WHERE ${conditions(filter)}`;
  return Number(rows[0]?.n ?? 0);
}
