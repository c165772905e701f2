import { parseForm } from '@shop/alipay';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { readRawBody } from '../http/body';
import type { AppRecord, Buyer } from '../store/types';
import { errorPage } from './html';

/** Shared plumbing of the H5 pages: the buyer cookie, form and query parsing that fail as HTML pages. */

/** The buyer chosen on the authorize page, remembered for the cashier (as a logged-in Alipay session would be). */
export const BUYER_COOKIE = 'sandbox_buyer';

export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** The app a page's request names; the page answers 400 when the sandbox has no such app. */
export function pageApp(deps: Deps, title: string, appId: string): AppRecord {
  const app = deps.store.accounts.findApp(appId);
  if (!app) throw new PageError(400, title, `应用 ${appId} 不存在`);
  return app;
}

/** The buyer a page's request names; the page answers `status` (400 for a form's choice) when there is none. */
export function pageBuyer(deps: Deps, title: string, buyerId: string, status = 400): Buyer {
  const buyer = deps.store.accounts.findBuyer(buyerId);
  if (!buyer) throw new PageError(status, title, `买家 ${buyerId} 不存在`);
  return buyer;
}

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '参数'}: ${issue.message}` : '参数无效';
}

export function readPageQuery<T extends z.ZodType>(ctx: Context, schema: T, title: string): z.infer<T> {
  const result = schema.safeParse({ ...ctx.query });
  if (!result.success) throw new PageError(400, title, `请求参数无效（${firstProblem(result.error)}）`);
  return result.data;
}

export async function readPageForm<T extends z.ZodType>(
  ctx: Context,
  schema: T,
  title: string,
): Promise<z.infer<T>> {
  const raw = await readRawBody(ctx, '64kb');
  const result = schema.safeParse(parseForm(raw, 'utf-8'));
  if (!result.success) throw new PageError(400, title, `表单无效（${firstProblem(result.error)}）`);
  return result.data;
}

/** Renders PageErrors (and anything unexpected) as an HTML page rather than JSON. */
export async function pageErrors(ctx: Context, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof PageError)) throw error;
    ctx.status = error.status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = errorPage(error.title, error.message);
  }
}

/** Appends parameters to a redirect URL, keeping the ones it already has. */
export function withParams(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(key, value);
  }
  return target.toString();
}

export function sendPage(ctx: Context, body: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = body;
}
