import { Router } from '@koa/router';
import { z } from 'zod';
import type { Deps } from '../deps';
import { readQuery } from '../http/body';
import { HttpError } from '../http/http-error';
import { billPeriod, buildBillZip } from './bills.service';

/** Serves a bill zip behind the short-lived URL that bill.downloadurl.query handed out. */
const DownloadQuery = z.object({ token: z.string().min(1).max(128) });

export function billsRouter(deps: Deps): Router {
  const router = new Router();
  router.get('/downloadBillFile.resource', async (ctx) => {
    const { token } = readQuery(ctx, DownloadQuery);
    const download = deps.store.bills.findDownload(token);
    if (!download) throw new HttpError(404, 'NOT_FOUND', 'unknown bill download token');
    if (download.expiresAt.getTime() < deps.clock.nowMs()) {
      throw new HttpError(410, 'EXPIRED', 'this bill download URL has expired; ask for a new one');
    }
    const period = billPeriod(download.billDate);
    if (!period) throw new HttpError(404, 'NOT_FOUND', 'unknown bill period');
    const bill = await buildBillZip(deps, download.appId, period);
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(bill.fileName)}`);
    ctx.type = 'application/zip';
    ctx.body = bill.zip;
  });
  return router;
}
