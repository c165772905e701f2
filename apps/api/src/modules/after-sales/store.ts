import {
  OPEN_AFTER_SALE_STATUSES,
  type AfterSaleKind,
  type AfterSaleLineInput,
  type AfterSaleStatus,
  type AfterSaleView,
  type OrderStatus,
} from '@shop/contract';
import { readDate, readDateOrNull, readInt, type SqlReader } from '@shop/db';

/*
 * Reading after-sale requests and shaping their view, on sql() so the same reads serve both engines and run inside
 * the caller's transaction when it has one.
 */

export interface AfterSaleRow {
  id: string;
  orderId: string;
  userId: string;
  kind: AfterSaleKind;
  status: AfterSaleStatus;
  amountFen: number;
  reason: string;
  description: string;
  linesJson: string;
  photosJson: string;
  refuseReason: string | null;
  returnCarrier: string | null;
  returnTrackingNo: string | null;
  refundId: string | null;
  attempt: number;
  decidedById: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS =
  '"id", "orderId", "userId", "kind", "status", "amountFen", "reason", "description", "linesJson", "photosJson", ' +
  '"refuseReason", "returnCarrier", "returnTrackingNo", "refundId", "attempt", "decidedById", "decidedAt", ' +
  '"createdAt", "updatedAt"';

type RawRow = Omit<AfterSaleRow, 'decidedAt' | 'createdAt' | 'updatedAt' | 'amountFen' | 'attempt'> & {
  amountFen: number | bigint | string;
  attempt: number | bigint | string;
  decidedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
};

function rowOf(raw: RawRow): AfterSaleRow {
  return {
    ...raw,
    amountFen: readInt(raw.amountFen),
    attempt: readInt(raw.attempt),
    decidedAt: readDateOrNull(raw.decidedAt),
    createdAt: readDate(raw.createdAt),
    updatedAt: readDate(raw.updatedAt),
  };
}

/**
 * One request by id (and owner, when given). `lock` takes the row for the rest of the transaction on PostgreSQL,
 * so two approvals of one request queue instead of both reading REQUESTED.
 */
export async function findAfterSale(
  q: SqlReader,
  id: string,
  options: { userId?: string; lock?: boolean } = {},
): Promise<AfterSaleRow | null> {
  const owner = options.userId === undefined ? '' : ' AND "userId" = ?';
  const row = await q.get<RawRow>(
    `SELECT ${COLUMNS} FROM "AfterSale" WHERE "id" = ?${owner}${options.lock ? q.dialect.forUpdate : ''}`,
    id,
    ...(options.userId === undefined ? [] : [options.userId]),
  );
  return row ? rowOf(row) : null;
}

export async function openAfterSaleOf(q: SqlReader, orderId: string): Promise<AfterSaleRow | null> {
  const row = await q.get<RawRow>(
    `SELECT ${COLUMNS} FROM "AfterSale" WHERE "orderId" = ?
       AND "status" IN (${OPEN_AFTER_SALE_STATUSES.map(() => '?').join(', ')}) LIMIT 1`,
    orderId,
    ...OPEN_AFTER_SALE_STATUSES,
  );
  return row ? rowOf(row) : null;
}

export interface AfterSaleFilter {
  userId?: string;
  orderId?: string;
  statuses?: readonly AfterSaleStatus[];
}

function whereOf(filter: AfterSaleFilter): { clause: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (filter.userId !== undefined) {
    parts.push('"userId" = ?');
    params.push(filter.userId);
  }
  if (filter.orderId !== undefined) {
    parts.push('"orderId" = ?');
    params.push(filter.orderId);
  }
  if (filter.statuses) {
    parts.push(`"status" IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  }
  return { clause: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export async function listAfterSaleRows(
  q: SqlReader,
  filter: AfterSaleFilter,
  page: { limit: number; offset: number },
): Promise<AfterSaleRow[]> {
  const { clause, params } = whereOf(filter);
  const rows = await q.all<RawRow>(
    `SELECT ${COLUMNS} FROM "AfterSale" ${clause} ORDER BY "createdAt" DESC, "id" DESC LIMIT ? OFFSET ?`,
    ...params,
    page.limit,
    page.offset,
  );
  return rows.map(rowOf);
}

export async function countAfterSales(q: SqlReader, filter: AfterSaleFilter): Promise<number> {
  const { clause, params } = whereOf(filter);
  const row = await q.get<{ n: number | bigint | string }>(
    `SELECT count(*) AS "n" FROM "AfterSale" ${clause}`,
    ...params,
  );
  return readInt(row?.n ?? 0);
}

interface ItemRow {
  skuId: string;
  title: string;
  specText: string;
  imagePath: string;
  unitPriceFen: number;
  quantity: number;
}

export async function orderItemsOf(q: SqlReader, orderId: string): Promise<ItemRow[]> {
  const rows = await q.all<ItemRow>(
    `SELECT "skuId", "title", "specText", "imagePath", "unitPriceFen", "quantity" FROM "OrderItem"
     WHERE "orderId" = ? ORDER BY "id"`,
    orderId,
  );
  return rows.map((r) => ({ ...r, unitPriceFen: readInt(r.unitPriceFen), quantity: readInt(r.quantity) }));
}

/** The views of some requests, with their orders' numbers and statuses, item snapshots and refund outcomes. */
export async function afterSaleViews(q: SqlReader, rows: readonly AfterSaleRow[]): Promise<AfterSaleView[]> {
  const views: AfterSaleView[] = [];
  for (const row of rows) {
    const order = await q.get<{ orderNo: string; status: OrderStatus }>(
      'SELECT "orderNo", "status" FROM "Order" WHERE "id" = ?',
      row.orderId,
    );
    const refund = row.refundId
      ? await q.get<{ status: AfterSaleView['refundStatus'] }>(
          'SELECT "status" FROM "Refund" WHERE "id" = ?',
          row.refundId,
        )
      : undefined;
    const lines = JSON.parse(row.linesJson) as AfterSaleLineInput[];
    const items = lines.length ? await orderItemsOf(q, row.orderId) : [];
    views.push({
      id: row.id,
      orderId: row.orderId,
      orderNo: order?.orderNo ?? '',
      orderStatus: order?.status ?? 'PAID',
      kind: row.kind,
      status: row.status,
      amountFen: row.amountFen,
      reason: row.reason,
      description: row.description,
      lines: lines.map((line) => {
        const item = items.find((i) => i.skuId === line.skuId);
        return {
          skuId: line.skuId,
          title: item?.title ?? '',
          specText: item?.specText ?? '',
          imageUrl: item?.imagePath ?? '',
          unitPriceFen: item?.unitPriceFen ?? 0,
          quantity: line.quantity,
        };
      }),
      photos: JSON.parse(row.photosJson) as string[],
      refuseReason: row.refuseReason,
      returnCarrier: row.returnCarrier,
      returnTrackingNo: row.returnTrackingNo,
      refundStatus: refund?.status ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    });
  }
  return views;
}
