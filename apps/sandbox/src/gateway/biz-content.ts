import { yuanToFen } from '@shop/alipay';
import { z } from 'zod';
import { businessFailed, invalidArgument } from './gateway-error';

/**
 * Reading `biz_content`. Unknown keys are accepted and ignored, unlike our own control API: Alipay's methods take
 * many optional fields (goods_detail, extend_params, ...) that the sandbox does not model, and rejecting them would
 * make the sandbox stricter than the real gateway. Fields the sandbox does use are validated strictly, and a bad
 * one gets `40004 ACQ.INVALID_PARAMETER` naming the field.
 */

export function parseBizContent(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidArgument('isv.invalid-parameter', '参数无效：biz_content 不是合法的 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument('isv.invalid-parameter', '参数无效：biz_content 必须是 JSON 对象');
  }
  return value as Record<string, unknown>;
}

export function readBiz<T extends z.ZodType>(schema: T, biz: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(biz);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || 'biz_content';
    throw businessFailed('ACQ.INVALID_PARAMETER', `参数无效：${field} ${issue?.message ?? ''}`.trim());
  }
  return result.data;
}

/** out_trade_no and out_request_no: letters, digits and underscores, at most 64. */
export const outNo = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be 1 to 64 letters, digits or underscores');

/** A yuan amount sent as a string ("12.30") or a JSON number (12.3), parsed strictly into fen. */
export const yuanAmount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value;
  try {
    return yuanToFen(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Either trade_no or out_trade_no identifies a trade; trade_no wins when both are given, as at Alipay. */
export const tradeRef = {
  trade_no: z.string().min(1).max(64).optional(),
  out_trade_no: outNo.optional(),
};

export function requireRef<T extends { trade_no?: string | undefined; out_trade_no?: string | undefined }>(
  biz: T,
): T {
  if (!biz.trade_no && !biz.out_trade_no) {
    throw businessFailed('ACQ.INVALID_PARAMETER', '参数无效：trade_no 和 out_trade_no 不能同时为空');
  }
  return biz;
}
