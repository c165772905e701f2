import type { AuditAction, AuditLogEntry, AuditLogList, AuditLogQuery } from '@shop/contract';
import { newId, type AdminRole, type AuditLog, type Prisma, type SqlTx } from '@shop/db';
import type { DbOrTx, Tx } from '../../../db';
import { chinaDateFilter } from '../dates';

/**
 * The audit log: one row per admin action (who, what, when, before and after as JSON, from which address). Rows are
 * written inside the transaction that makes the change, so an action and its record commit or roll back together.
 * Other modules (reconciliation) receive `audit` through the admin access object and write the same rows.
 */

/** The admin doing something, as services see them (never a Koa context). */
export interface AdminActor {
  id: string;
  /** The display name, kept on the row so the log reads the same after a rename. */
  name: string;
  role: AdminRole;
  ip: string | null;
}

/** One AuditLog row, with the model's columns. */
export interface AuditRecord {
  /** Null for sign-in failures, which nobody is known to have made. */
  adminId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  beforeJson: string | null;
  afterJson: string | null;
  ip: string | null;
}

/**
 * The transaction an audit row joins: an sql() transaction (actions on orders and stock, whose money writes go through
 * sql()) or a Prisma one (catalog, staff, reconciliation). The row is the same either way.
 */
export type AuditTx = Tx | SqlTx;

export type AuditWriter = (tx: AuditTx, record: AuditRecord) => Promise<void>;

/** Writes one audit row in the caller's transaction. */
export const writeAudit: AuditWriter = async (tx, record) => {
  if ('dialect' in tx) {
    const row: AuditLog = { id: newId(), ...record, createdAt: new Date() };
    await tx.insert('AuditLog', row);
  } else {
    await tx.auditLog.create({ data: record });
  }
};

export interface AuditEntryInput {
  action: AuditAction;
  targetType: string;
  targetId: string;
  /** The state before and after, as plain data (serialised here); undefined is stored as null. */
  before?: unknown;
  after?: unknown;
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Records what `actor` did, in the caller's transaction. */
export async function audit(tx: AuditTx, actor: AdminActor, entry: AuditEntryInput): Promise<void> {
  await writeAudit(tx, {
    adminId: actor.id,
    actorName: actor.name,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    beforeJson: json(entry.before),
    afterJson: json(entry.after),
    ip: actor.ip,
  });
}

export type Auditor = typeof audit;

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A row written by hand or by an older version: show the text rather than fail the whole page.
    return text;
  }
}

export function auditEntryView(row: AuditLog): AuditLogEntry {
  return {
    id: row.id,
    adminId: row.adminId,
    actorName: row.actorName,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: parseJson(row.beforeJson),
    after: parseJson(row.afterJson),
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The audit log, newest first, filtered by action, target, admin and China dates (inclusive). */
export async function listAuditLogs(db: DbOrTx, query: AuditLogQuery): Promise<AuditLogList> {
  const where: Prisma.AuditLogWhereInput = {};
  if (query.action) where.action = query.action;
  if (query.targetType) where.targetType = query.targetType;
  if (query.targetId) where.targetId = query.targetId;
  if (query.adminId) where.adminId = query.adminId;
  const createdAt = chinaDateFilter(query.from, query.to);
  if (createdAt) where.createdAt = createdAt;
  const [total, rows] = await Promise.all([
    db.auditLog.count({ where }),
    db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(auditEntryView), total, page: query.page, pageSize: query.pageSize };
}

/** The audit rows about one target, oldest first (an order's refunds, shipping and completion). */
export async function auditTrail(db: DbOrTx, targetType: string, targetId: string): Promise<AuditLogEntry[]> {
  const rows = await db.auditLog.findMany({
    where: { targetType, targetId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 200,
  });
  return rows.map(auditEntryView);
}
