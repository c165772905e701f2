import { z } from 'zod';
import { DateOnly, Fen, Id, IsoDateTime } from './common';

/**
 * Daily reconciliation against Alipay's trade bill, and the merchant's settlement (admin API,
 * `/api/admin/reconciliation/...`). Every line of a report is one bill row, or one ledger row the bill lacks.
 */

export const RECONCILIATION_KINDS = [
  /** The bill row and our ledger agree. */
  'MATCHED',
  /** Paid at Alipay, not recorded as paid by the shop. */
  'MISSING_IN_LEDGER',
  /** The shop recorded a payment or refund on that day; the bill lacks it. */
  'MISSING_IN_BILL',
  /** The trade is known on both sides with different amounts. */
  'AMOUNT_MISMATCH',
  /** Both sides know it, in states that contradict each other (paid vs closed, refunded vs pending). */
  'STATUS_MISMATCH',
  /** A payment for an order the shop had closed, returned by its automatic refund: expected, not a difference. */
  'PAID_AFTER_CLOSE',
  /** A refund in the bill the shop does not know, or with another amount. */
  'REFUND_MISMATCH',
] as const;
export const ReconciliationKind = z.enum(RECONCILIATION_KINDS);
export type ReconciliationKind = z.infer<typeof ReconciliationKind>;

/** The kinds that need a person's attention; MATCHED and PAID_AFTER_CLOSE do not. */
export const DIFFERENCE_KINDS = [
  'MISSING_IN_LEDGER',
  'MISSING_IN_BILL',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'REFUND_MISMATCH',
] as const satisfies readonly ReconciliationKind[];

export function isDifferenceKind(kind: string): boolean {
  return (DIFFERENCE_KINDS as readonly string[]).includes(kind);
}

export const RECONCILIATION_LINE_TYPES = ['trade', 'refund'] as const;
export const ReconciliationLineType = z.enum(RECONCILIATION_LINE_TYPES);
export type ReconciliationLineType = z.infer<typeof ReconciliationLineType>;

/** A stored run: RUNNING while a process fetches and matches the bill. */
export const RECONCILIATION_STATUSES = ['RUNNING', 'CLEAN', 'DIFFERENCES', 'FAILED'] as const;
export const ReconciliationStatus = z.enum(RECONCILIATION_STATUSES);
export type ReconciliationStatus = z.infer<typeof ReconciliationStatus>;

/** A day in the list: a run's status, or NOT_RUN. */
export const RECONCILIATION_DAY_STATUSES = [...RECONCILIATION_STATUSES, 'NOT_RUN'] as const;
export const ReconciliationDayStatus = z.enum(RECONCILIATION_DAY_STATUSES);
export type ReconciliationDayStatus = z.infer<typeof ReconciliationDayStatus>;

/**
 * What the merchant is owed, from the bill: `grossFen` (trades' 商家实收) − `refundFen` (refunds' 商家实收, as a
 * positive amount) − `feeFen` (服务费 net of the fees refunds give back) = `netFen` (the bill's 实收净额). For a day,
 * or summed over days.
 */
export const SettlementFigures = z.object({
  tradeCount: z.number().int().min(0),
  refundCount: z.number().int().min(0),
  grossFen: Fen,
  refundFen: Fen,
  /** Positive: a cost to the merchant. */
  feeFen: z.number().int(),
  /** Negative on a day whose refunds exceed its takings. */
  netFen: z.number().int(),
});
export type SettlementFigures = z.infer<typeof SettlementFigures>;

/** A day's settlement figures. */
export const SettlementView = z.object({
  billDate: DateOnly,
  ...SettlementFigures.shape,
  updatedAt: IsoDateTime,
});
export type SettlementView = z.infer<typeof SettlementView>;

export const ReconciliationRunView = z.object({
  id: Id,
  billDate: DateOnly,
  status: ReconciliationStatus,
  /** Rows in the bill's detail file. */
  billLineCount: z.number().int().min(0),
  matchedCount: z.number().int().min(0),
  /** Lines whose kind is a difference (DIFFERENCE_KINDS), resolved or not. */
  differenceCount: z.number().int().min(0),
  /** Differences nobody has marked resolved yet. */
  unresolvedCount: z.number().int().min(0),
  /** SHA-256 (hex) of the canonical report: the same bill rows and ledger give the same hash. */
  reportHash: z.string(),
  /** SHA-256 (hex) of the downloaded zip as received. */
  billSha256: z.string(),
  /** Why the run failed (FAILED only). */
  error: z.string().nullable(),
  startedAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
});
export type ReconciliationRunView = z.infer<typeof ReconciliationRunView>;

export const ReconciliationDay = z.object({
  billDate: DateOnly,
  status: ReconciliationDayStatus,
  run: ReconciliationRunView.nullable(),
  settlement: SettlementView.nullable(),
});
export type ReconciliationDay = z.infer<typeof ReconciliationDay>;

/** `GET /api/admin/reconciliation/days`: `days` China dates ending at `to` (default: yesterday), newest first. */
export const ReconciliationDaysQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
  to: DateOnly.optional(),
});
export type ReconciliationDaysQuery = z.infer<typeof ReconciliationDaysQuery>;

export const ReconciliationDaysResponse = z.object({ items: z.array(ReconciliationDay) });
export type ReconciliationDaysResponse = z.infer<typeof ReconciliationDaysResponse>;

export const ReconciliationLineView = z.object({
  id: Id,
  /** Position in the report (1-based); lines are sorted by type, trade number, order number, request number. */
  seq: z.number().int().min(1),
  kind: ReconciliationKind,
  lineType: ReconciliationLineType,
  tradeNo: z.string().nullable(),
  outTradeNo: z.string().nullable(),
  outRequestNo: z.string().nullable(),
  /** The bill's amount (refund lines: the refunded amount, positive); null when the bill lacks the line. */
  billAmountFen: z.number().int().nullable(),
  /** Our amount; null when the ledger lacks the line. */
  ledgerAmountFen: z.number().int().nullable(),
  detail: z.string(),
  resolvedAt: IsoDateTime.nullable(),
  resolvedById: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});
export type ReconciliationLineView = z.infer<typeof ReconciliationLineView>;

const BooleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * `GET /api/admin/reconciliation/runs/:billDate`: the run, its settlement, counts per kind and one page of lines.
 * `kind` filters by a kind, or `DIFFERENCES` for every difference kind; `resolved` by resolution.
 */
export const ReconciliationReportQuery = z.strictObject({
  kind: z.union([ReconciliationKind, z.literal('DIFFERENCES')]).optional(),
  resolved: BooleanQuery.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type ReconciliationReportQuery = z.infer<typeof ReconciliationReportQuery>;

export const ReconciliationReport = z.object({
  run: ReconciliationRunView,
  settlement: SettlementView.nullable(),
  /** Lines per kind over the whole report (every kind present, zero included). */
  kindCounts: z.record(ReconciliationKind, z.number().int().min(0)),
  lines: z.object({
    items: z.array(ReconciliationLineView),
    /** Lines matching the filter. */
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  }),
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;

export const ReconciliationDateParams = z.strictObject({ billDate: DateOnly });
export type ReconciliationDateParams = z.infer<typeof ReconciliationDateParams>;

export const ReconciliationLineParams = z.strictObject({ id: Id });
export type ReconciliationLineParams = z.infer<typeof ReconciliationLineParams>;

/** `POST /api/admin/reconciliation/runs`: reconcile a date now (again), owner only. */
export const ReconciliationRunBody = z.strictObject({ billDate: DateOnly });
export type ReconciliationRunBody = z.infer<typeof ReconciliationRunBody>;

/**
 * The answer of a run request. `failure` says why this attempt failed: the run is FAILED, or, when the date had a
 * finished report, that report is kept as it was.
 */
export const ReconciliationRunResult = z.object({
  run: ReconciliationRunView,
  settlement: SettlementView.nullable(),
  failure: z.string().nullable(),
});
export type ReconciliationRunResult = z.infer<typeof ReconciliationRunResult>;

/** `POST /api/admin/reconciliation/lines/:id/resolve`, owner only; written to the audit log. */
export const ReconciliationResolveBody = z.strictObject({ note: z.string().trim().min(1).max(500) });
export type ReconciliationResolveBody = z.infer<typeof ReconciliationResolveBody>;

/** What alipay.trade.query said about a line's trade, or why it could not say. */
export const ReconciliationTradeState = z.object({
  ok: z.boolean(),
  tradeNo: z.string().nullable(),
  outTradeNo: z.string().nullable(),
  tradeStatus: z.string().nullable(),
  totalFen: Fen.nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
});
export type ReconciliationTradeState = z.infer<typeof ReconciliationTradeState>;

/**
 * `POST /api/admin/reconciliation/lines/:id/requery`: asks Alipay about the line's trade (and, for a refund line,
 * its refund) and applies what it proves through the payment services. `applied` is what that did to the ledger
 * (`paid`, `auto-refund`, `already-settled`, `closed`, `open`, `mismatch`, or `none` without a payment); `refund`
 * what the refund query did; when the ledger changed, the date is reconciled again and `rerun` is the new run.
 */
export const ReconciliationRequeryResult = z.object({
  trade: ReconciliationTradeState,
  applied: z.string(),
  refund: z.string().nullable(),
  rerun: ReconciliationRunResult.nullable(),
});
export type ReconciliationRequeryResult = z.infer<typeof ReconciliationRequeryResult>;

/** `GET /api/admin/reconciliation/settlements`: stored settlements from `from` to `to` (default: the last 30 days). */
export const SettlementsQuery = z.strictObject({ from: DateOnly.optional(), to: DateOnly.optional() });
export type SettlementsQuery = z.infer<typeof SettlementsQuery>;

export const SettlementsResponse = z.object({
  from: DateOnly,
  to: DateOnly,
  items: z.array(SettlementView),
  totals: SettlementFigures,
});
export type SettlementsResponse = z.infer<typeof SettlementsResponse>;
