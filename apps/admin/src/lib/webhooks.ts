import {
  EVENT_TITLES,
  EVENT_TYPES,
  type DeliveryAttemptView,
  type EventType,
  type WebhookDeliveryView,
  type WebhookEndpointBody,
} from '@shop/contract';

import { type ApiError } from './api-client';
import { formatDateTime } from './format';
import { type Tone } from './labels';

/**
 * The webhook pages' rules without components: the endpoint form (what is wrong with it, here and as the API
 * said), and the words for a delivery's tries. A try's `error` is the API's English for logs and is never shown;
 * its outcome code, status code and the network error's code are.
 */

export interface WebhookDraft {
  url: string;
  events: EventType[];
  description: string;
}

export type WebhookField = keyof WebhookDraft;
export type WebhookProblems = Record<WebhookField, string | null>;

/** The contract's limit on a description (`WebhookEndpointBody`). */
export const DESCRIPTION_MAX = 200;

export const EMPTY_DRAFT: WebhookDraft = { url: '', events: [], description: '' };

/** What the form says before sending; the address's form is the API's to judge (its words: `serverProblems`). */
export function draftProblems(draft: WebhookDraft): WebhookProblems {
  return {
    url: draft.url.trim() === '' ? '请填写推送地址' : null,
    events: draft.events.length === 0 ? '至少选择一个事件' : null,
    description:
      [...draft.description.trim()].length > DESCRIPTION_MAX ? `最多 ${DESCRIPTION_MAX} 个字` : null,
  };
}

const FIELD_WORDS: WebhookProblems = {
  url: '请填写以 http:// 或 https:// 开头的完整地址，不能含空格、用户名或密码，最长 2000 个字符',
  events: '请至少选择一个事件，且不能重复',
  description: `备注最多 ${DESCRIPTION_MAX} 个字，不能含换行等控制字符`,
};

/** The fields a VALIDATION_ERROR names (`body.url`, ...), each with what to do about it; null where none. */
export function serverProblems(error: ApiError | null): WebhookProblems {
  const problems: WebhookProblems = { url: null, events: null, description: null };
  if (error === null || error.code !== 'VALIDATION_ERROR') return problems;
  const details = error.details as { fields?: unknown } | undefined;
  const fields = Array.isArray(details?.fields) ? (details.fields as unknown[]) : [];
  for (const field of fields) {
    const path = (field as { path?: unknown } | null)?.path;
    if (typeof path !== 'string') continue;
    const name = path.split('.')[1];
    if (name === 'url' || name === 'events' || name === 'description') problems[name] = FIELD_WORDS[name];
  }
  return problems;
}

/** The body of a create or an edit: the address and the description trimmed, events in the contract's order. */
export function endpointBody(draft: WebhookDraft): WebhookEndpointBody & { description: string } {
  return {
    url: draft.url.trim(),
    events: EVENT_TYPES.filter((type) => draft.events.includes(type)),
    description: draft.description.trim(),
  };
}

/** An event's name for people, e.g. 订单已支付. */
export function eventTitle(type: EventType): string {
  return EVENT_TITLES[type];
}

/** What network errors' codes (Node's, as the delivery log keeps them) mean. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: '对方拒绝连接',
  ECONNRESET: '连接被对方断开',
  ENOTFOUND: '找不到该域名',
  EAI_AGAIN: '域名解析暂时失败',
  ETIMEDOUT: '连接超时',
  EHOSTUNREACH: '无法到达对方主机',
  ENETUNREACH: '网络不可达',
  UND_ERR_SOCKET: '连接异常中断',
  UND_ERR_CONNECT_TIMEOUT: '连接超时',
  CERT_HAS_EXPIRED: '对方的证书已过期',
  DEPTH_ZERO_SELF_SIGNED_CERT: '对方使用自签名证书',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: '无法验证对方的证书',
  ERR_TLS_CERT_ALTNAME_INVALID: '对方证书与域名不符',
};

/** Why a try was not sent at all (outcome `refused`), by the worker's fixed reasons. */
const REFUSALS: Record<string, string> = {
  'the endpoint is disabled': '推送地址已停用，未发送',
  'the endpoint was deleted': '推送地址已删除，未发送',
};

export interface AttemptWords {
  label: string;
  tone: Tone;
  /** More about a failure, or null. */
  detail: string | null;
}

/** A try's result in words, from its outcome code, status code and the network error's code. */
export function attemptWords(
  attempt: Pick<DeliveryAttemptView, 'outcome' | 'statusCode' | 'error'>,
): AttemptWords {
  switch (attempt.outcome) {
    case 'ok':
      return { label: '成功', tone: 'success', detail: null };
    case 'http-error':
      return {
        label: '对方返回错误',
        tone: 'danger',
        detail: attempt.statusCode === null ? null : `状态码 ${attempt.statusCode}，不是 2xx`,
      };
    case 'timeout':
      return { label: '超时', tone: 'danger', detail: '对方未在时限内应答' };
    case 'network-error': {
      const code = attempt.error?.trim() ?? '';
      const known = NETWORK_ERRORS[code];
      return {
        label: '连接失败',
        tone: 'danger',
        detail: known !== undefined ? `${known}（${code}）` : /^[A-Z][A-Z0-9_]+$/.test(code) ? code : null,
      };
    }
    case 'refused':
      return {
        label: '未发送',
        tone: 'neutral',
        detail: REFUSALS[attempt.error ?? ''] ?? '推送地址不可用，未发送',
      };
    case null:
      return { label: '没有结果', tone: 'warning', detail: '发送过程中服务重启，这次尝试没有结果' };
    default:
      return { label: '失败', tone: 'danger', detail: null };
  }
}

/** The latest try, or null before the first. */
export function lastAttempt(delivery: Pick<WebhookDeliveryView, 'attempts'>): DeliveryAttemptView | null {
  return delivery.attempts.reduce<DeliveryAttemptView | null>(
    (latest, attempt) => (latest === null || attempt.number > latest.number ? attempt : latest),
    null,
  );
}

/** When it was delivered, or when the next try is due, or neither. */
export function deliveryTimeText(
  delivery: Pick<WebhookDeliveryView, 'status' | 'deliveredAt' | 'nextAttemptAt'>,
): string {
  if (delivery.status === 'DELIVERED' && delivery.deliveredAt !== null)
    return `送达于 ${formatDateTime(delivery.deliveredAt)}`;
  if (delivery.status === 'PENDING' && delivery.nextAttemptAt !== null)
    return `下次尝试 ${formatDateTime(delivery.nextAttemptAt)}`;
  return '—';
}

/** Delivered and failed deliveries can be sent again; a pending one is still being tried. */
export function canResend(delivery: Pick<WebhookDeliveryView, 'status'>): boolean {
  return delivery.status === 'DELIVERED' || delivery.status === 'FAILED';
}

/** 尾号 ab3F: how a secret is told apart without showing it (the API gives its last four characters). */
export function secretHintText(hint: string): string {
  return `尾号 ${hint}`;
}
