import { EVENT_TYPES, WebhookEndpointBody } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { ApiError } from './api-client';
import {
  attemptWords,
  canResend,
  deliveryTimeText,
  draftProblems,
  EMPTY_DRAFT,
  endpointBody,
  lastAttempt,
  serverProblems,
} from './webhooks';

const CJK = /[\u4e00-\u9fff]/;

/** The API's VALIDATION_ERROR for a body the contract refuses (apps/api/src/errors.ts, `validationError`). */
function refused(body: unknown): ApiError {
  const result = WebhookEndpointBody.safeParse(body);
  if (result.success) throw new Error('the contract accepted the body');
  const fields = result.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new ApiError(400, 'VALIDATION_ERROR', 'Invalid body', { fields });
}

describe('the endpoint form', () => {
  it('asks for an address and an event before sending, and keeps the description within 200 characters', () => {
    expect(draftProblems(EMPTY_DRAFT)).toEqual({
      url: '请填写推送地址',
      events: '至少选择一个事件',
      description: null,
    });
    expect(
      draftProblems({
        url: 'https://erp.example.com/h',
        events: ['order.paid'],
        description: '字'.repeat(201),
      }).description,
    ).toBe('最多 200 个字');
    expect(draftProblems({ url: ' x ', events: ['order.paid'], description: '字'.repeat(200) })).toEqual({
      url: null,
      events: null,
      description: null,
    });
  });

  it("puts the API's refusals beside the fields at fault, in Chinese, never its English", () => {
    const problems = serverProblems(
      refused({
        url: 'ftp://user:pw@erp.example.com',
        events: ['order.paid', 'order.paid'],
        description: 'a\u0007',
      }),
    );
    for (const field of ['url', 'events', 'description'] as const) {
      expect(problems[field], field).toMatch(CJK);
      expect(problems[field], field).not.toMatch(/must/);
    }
    expect(serverProblems(refused({ url: 'https://erp.example.com/h', events: [] }))).toEqual({
      url: null,
      events: expect.stringMatching(CJK) as unknown,
      description: null,
    });
    expect(serverProblems(new ApiError(409, 'CONFLICT', 'too many', { max: 20 }))).toEqual({
      url: null,
      events: null,
      description: null,
    });
    expect(serverProblems(null).url).toBeNull();
  });

  it('sends what the contract accepts: trimmed, events in the contract order', () => {
    const body = endpointBody({
      url: '  https://erp.example.com/hooks  ',
      events: ['refund.succeeded', 'order.paid'],
      description: ' 金蝶 ',
    });
    expect(body).toEqual({
      url: 'https://erp.example.com/hooks',
      events: ['order.paid', 'refund.succeeded'],
      description: '金蝶',
    });
    expect(WebhookEndpointBody.safeParse(body).success).toBe(true);
    const all = endpointBody({
      url: 'http://127.0.0.1:9/h',
      events: [...EVENT_TYPES].reverse(),
      description: '',
    });
    expect(all.events).toEqual([...EVENT_TYPES]);
    expect(WebhookEndpointBody.safeParse(all).success).toBe(true);
  });
});

describe("a delivery's tries in words", () => {
  it('reads outcome codes, status codes and network error codes, never the English error', () => {
    expect(attemptWords({ outcome: 'ok', statusCode: 200, error: null })).toEqual({
      label: '成功',
      tone: 'success',
      detail: null,
    });
    expect(attemptWords({ outcome: 'http-error', statusCode: 500, error: 'HTTP 500' })).toEqual({
      label: '对方返回错误',
      tone: 'danger',
      detail: '状态码 500，不是 2xx',
    });
    expect(attemptWords({ outcome: 'network-error', statusCode: null, error: 'ECONNREFUSED' }).detail).toBe(
      '对方拒绝连接（ECONNREFUSED）',
    );
    expect(attemptWords({ outcome: 'network-error', statusCode: null, error: 'EPROTO' }).detail).toBe(
      'EPROTO',
    );
    expect(
      attemptWords({ outcome: 'network-error', statusCode: null, error: 'fetch failed for some reason' })
        .detail,
    ).toBeNull();
    expect(
      attemptWords({ outcome: 'timeout', statusCode: null, error: 'no answer within 10000 ms' }).detail,
    ).toBe('对方未在时限内应答');
    expect(
      attemptWords({ outcome: 'refused', statusCode: null, error: 'the endpoint is disabled' }).detail,
    ).toBe('推送地址已停用，未发送');
    expect(
      attemptWords({ outcome: 'refused', statusCode: null, error: 'the endpoint was deleted' }).detail,
    ).toBe('推送地址已删除，未发送');
    expect(attemptWords({ outcome: null, statusCode: null, error: null }).label).toBe('没有结果');
    expect(attemptWords({ outcome: 'something-new', statusCode: null, error: 'words' })).toEqual({
      label: '失败',
      tone: 'danger',
      detail: null,
    });
  });

  it('finds the latest try, says when it was delivered or is due, and which can be sent again', () => {
    const attempt = (number: number, statusCode: number) => ({
      number,
      startedAt: '2026-11-21T00:05:09.000Z',
      statusCode,
      durationMs: 12,
      outcome: statusCode === 200 ? 'ok' : 'http-error',
      error: null,
    });
    expect(lastAttempt({ attempts: [attempt(2, 200), attempt(1, 500)] })?.statusCode).toBe(200);
    expect(lastAttempt({ attempts: [] })).toBeNull();
    expect(
      deliveryTimeText({ status: 'DELIVERED', deliveredAt: '2026-11-21T00:05:09.000Z', nextAttemptAt: null }),
    ).toBe('送达于 2026-11-21 08:05:09');
    expect(
      deliveryTimeText({ status: 'PENDING', deliveredAt: null, nextAttemptAt: '2026-11-21T16:00:00.000Z' }),
    ).toBe('下次尝试 2026-11-22 00:00:00');
    expect(deliveryTimeText({ status: 'FAILED', deliveredAt: null, nextAttemptAt: null })).toBe('—');
    expect(
      ['PENDING', 'DELIVERED', 'FAILED', 'SKIPPED'].filter((status) => canResend({ status } as never)),
    ).toEqual(['DELIVERED', 'FAILED']);
  });
});
