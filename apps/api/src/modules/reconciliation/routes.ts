import Router from '@koa/router';
import {
  ReconciliationDateParams,
  ReconciliationDaysQuery,
  ReconciliationLineParams,
  ReconciliationReportQuery,
  ReconciliationResolveBody,
  ReconciliationRunBody,
  rolesWith,
  SettlementsQuery,
} from '@shop/contract';
import type { AdminRole } from '@shop/db';
import type { Context, Middleware } from 'koa';
import type { ApiDeps } from '../../deps';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import type { AdminActor, Auditor } from '../admin/audit/service';
import { requeryLine, resolveLine, runForAdmin } from './actions.service';
import { exportReportCsv } from './export';
import { getReport, listDays, listSettlements } from './report.service';

/**
 * The reconciliation admin API (`/api/admin/reconciliation/...`). Signing admins in, their roles and the audit log
 * belong to the admin module, which hands them in here. Who may do what follows the contract's permission table:
 * `reconciliation.read` (owner and staff) reads; `reconciliation.run` (owner) runs a date, re-queries a line (which
 * may change the ledger) and resolves lines.
 */
export interface AdminAccess {
  /** Middleware admitting a signed-in admin with one of `roles`: 401 UNAUTHENTICATED / 403 FORBIDDEN otherwise. */
  requireAdmin(roles: readonly AdminRole[]): Middleware;
  /** The admin that middleware admitted. */
  actor(ctx: Context): AdminActor;
  /** Records what an admin did in the audit log, in the caller's transaction. */
  audit: Auditor;
}

const BASE = '/api/admin/reconciliation';

export function reconciliationAdminRoutes(deps: ApiDeps, access: AdminAccess): Router {
  const router = new Router();
  const readers = access.requireAdmin(rolesWith('reconciliation.read'));
  const owners = access.requireAdmin(rolesWith('reconciliation.run'));

  router.get(`${BASE}/days`, readers, async (ctx) => {
    ctx.body = await listDays(deps.db, parseQuery(ctx, ReconciliationDaysQuery));
  });

  router.get(`${BASE}/runs/:billDate`, readers, async (ctx) => {
    const { billDate } = parseParams(ctx, ReconciliationDateParams);
    ctx.body = await getReport(deps.db, billDate, parseQuery(ctx, ReconciliationReportQuery));
  });

  router.get(`${BASE}/runs/:billDate/export.csv`, readers, async (ctx) => {
    const { billDate } = parseParams(ctx, ReconciliationDateParams);
    const { fileName, csv } = await exportReportCsv(deps.db, billDate);
    ctx.set('Content-Disposition', `attachment; filename="${fileName}"`);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = csv;
  });

  router.post(`${BASE}/runs`, owners, async (ctx) => {
    const { billDate } = parseBody(ctx, ReconciliationRunBody);
    ctx.body = await runForAdmin(deps, access.audit, access.actor(ctx), billDate);
  });

  router.post(`${BASE}/lines/:id/requery`, owners, async (ctx) => {
    const { id } = parseParams(ctx, ReconciliationLineParams);
    ctx.body = await requeryLine(deps, access.audit, access.actor(ctx), id);
  });

  router.post(`${BASE}/lines/:id/resolve`, owners, async (ctx) => {
    const { id } = parseParams(ctx, ReconciliationLineParams);
    const { note } = parseBody(ctx, ReconciliationResolveBody);
    ctx.body = await resolveLine(deps, access.audit, access.actor(ctx), id, note);
  });

  router.get(`${BASE}/settlements`, readers, async (ctx) => {
    ctx.body = await listSettlements(deps.db, parseQuery(ctx, SettlementsQuery));
  });

  return router;
}
