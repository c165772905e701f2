import { Router } from '@koa/router';
import { CERT_CHECKS_SETTING, certChecks } from '../certs/certs.service';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { addFault, faultView } from '../faults/faults';
import { readJson, readParams } from '../http/body';
import { BILLS_SAME_DAY_SETTING, billsSameDay } from '../bills/bills.service';
import { BillAdjustmentBody, FaultIdParam, FaultSpec, Settings } from './schemas';
import { adjustmentView } from './views';

export interface FaultHooks {
  /** Releases notifies held by a reorder fault (after the fault is cleared). */
  releaseHeld(): Promise<void>;
}

/** Control API: faults, bill adjustments and settings. */
export function faultsRouter(deps: Deps, hooks: FaultHooks): Router {
  const router = new Router({ prefix: '/sandbox' });
  const { faults, bills } = deps.store;

  router.get('/faults', (ctx) => {
    ctx.body = { items: faults.list().map(faultView), heldNotifies: deps.store.notifies.listHeld().length };
  });

  router.post('/faults', async (ctx) => {
    const spec = await readJson(ctx, FaultSpec);
    ctx.status = 201;
    ctx.body = faultView(addFault(deps, spec));
  });

  router.delete('/faults', async (ctx) => {
    const cleared = faults.deleteAll();
    await hooks.releaseHeld();
    deps.logger.warn({ cleared }, 'faults cleared');
    ctx.body = { cleared };
  });

  router.delete('/faults/:id', async (ctx) => {
    const { id } = readParams(ctx.params, FaultIdParam);
    const fault = faults.find(id);
    if (!fault || !faults.delete(id)) throw new NotFoundError(`fault ${id} does not exist`);
    if (fault.kind === 'notify-reorder') await hooks.releaseHeld();
    ctx.body = { cleared: 1 };
  });

  router.get('/bills/adjustments', (ctx) => {
    ctx.body = { items: bills.listAdjustments().map(adjustmentView) };
  });

  router.post('/bills/adjustments', async (ctx) => {
    const input = await readJson(ctx, BillAdjustmentBody);
    const trade = deps.store.trades.find(input.tradeNo);
    if (!trade) throw new NotFoundError(`trade ${input.tradeNo} does not exist`);
    if (
      input.outRequestNo !== undefined &&
      !deps.store.trades.findRefund(input.tradeNo, input.outRequestNo)
    ) {
      throw new NotFoundError(`trade ${input.tradeNo} has no refund ${input.outRequestNo}`);
    }
    const adjustment = bills.insertAdjustment({
      tradeNo: input.tradeNo,
      outRequestNo: input.outRequestNo ?? null,
      field: input.field ?? null,
      amountFen: input.amountFen ?? null,
      omit: input.omit === true,
      createdAt: deps.clock.now(),
    });
    ctx.status = 201;
    ctx.body = adjustmentView(adjustment);
  });

  router.delete('/bills/adjustments', (ctx) => {
    ctx.body = { cleared: bills.deleteAdjustments() };
  });

  const settings = () => ({
    billsSameDay: billsSameDay(deps),
    certChecks: certChecks(deps),
    timeScale: deps.clock.timeScale,
    feeRateBps: deps.config.feeRateBps,
  });

  router.get('/settings', (ctx) => {
    ctx.body = settings();
  });

  router.put('/settings', async (ctx) => {
    const input = await readJson(ctx, Settings);
    if (input.billsSameDay !== undefined)
      bills.setSetting(BILLS_SAME_DAY_SETTING, String(input.billsSameDay));
    if (input.certChecks !== undefined) bills.setSetting(CERT_CHECKS_SETTING, input.certChecks);
    ctx.body = settings();
  });
  return router;
}
