import { z } from 'zod';
import { sendTemplateMessage } from '../../messages/messages.service';
import { invalidArgument, missingArgument } from '../gateway-error';
import { SUCCESS, type MethodHandler } from '../method';

/**
 * alipay.open.app.mini.templatemessage.send (小程序发送模板消息, https://docs.alipay.com/mini/api/templatemessage):
 * `to_user_id` or `to_open_id`, `user_template_id`, `page` and `data` (a JSON string of the template's keywords).
 * The old `form_id` is accepted and ignored: subscription messages are allowed by the buyer's agreement instead.
 *
 * Alipay publishes no error list for this method, so the answers are the sandbox's choices, in the gateway's usual
 * shape: a missing field is 40001 `isv.missing-parameter`, a malformed one 40002 `isv.invalid-parameter` (as for a
 * biz_content that is not a JSON object), and the business rules (messages.service.ts) 40004 with `USER_NOT_EXIST`,
 * `USER_TEMPLATE_ID_NOT_EXIST`, `INVALID_DATA` or `USER_NOT_SUBSCRIBED`. An empty string counts as missing.
 */
const SendBiz = z.object({
  to_user_id: z
    .string()
    .regex(/^2088\d{12}$/, 'must be a 16-digit user id starting 2088')
    .optional(),
  to_open_id: z.string().max(128, 'must be at most 128 characters').optional(),
  user_template_id: z.string().max(64, 'must be at most 64 characters'),
  page: z.string().max(256, 'must be at most 256 characters'),
  data: z.string(),
});

const REQUIRED = ['user_template_id', 'page', 'data'] as const;

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

export const templateMessageSend: MethodHandler = (deps, call) => {
  const given = Object.fromEntries(Object.entries(call.biz).filter(([, value]) => present(value)));
  if (given.to_user_id === undefined && given.to_open_id === undefined) {
    throw missingArgument('isv.missing-parameter', '缺少必选参数：to_user_id 和 to_open_id 不能同时为空');
  }
  for (const field of REQUIRED) {
    if (given[field] === undefined) throw missingArgument('isv.missing-parameter', `缺少必选参数：${field}`);
  }
  const parsed = SendBiz.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'biz_content';
    throw invalidArgument('isv.invalid-parameter', `参数无效：${field} ${issue?.message ?? ''}`.trim());
  }
  const biz = parsed.data;
  sendTemplateMessage(deps, {
    appId: call.app.appId,
    toUserId: biz.to_user_id,
    toOpenId: biz.to_user_id === undefined ? biz.to_open_id : undefined,
    templateId: biz.user_template_id,
    page: biz.page,
    data: biz.data,
  });
  return { ...SUCCESS };
};
