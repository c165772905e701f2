import { ERROR_CODES } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { ApiError, type ApiErrorCode } from './api-client';
import { errorDetail, errorHeadline, errorText } from './errors';

const CJK = /[\u4e00-\u9fff]/;
const ENGLISH = 'Your role may not do this';

describe('what a failed call says to the merchant', () => {
  it("has zh-CN words for every code, and never the server's English message", () => {
    const codes = [...Object.keys(ERROR_CODES), 'NETWORK_ERROR', 'BAD_RESPONSE'] as ApiErrorCode[];
    for (const code of codes) {
      const error = new ApiError(400, code, ENGLISH, { fields: [{ path: 'body.x', message: 'must be y' }] });
      expect(errorHeadline(code), code).toMatch(CJK);
      expect(errorText(error), code).not.toContain(ENGLISH);
      expect(errorText(error), code).not.toContain('must be');
      expect(errorText(error), code).toMatch(CJK);
    }
  });

  it('names the fields at fault by their labels', () => {
    const error = new ApiError(400, 'VALIDATION_ERROR', 'Invalid body', {
      fields: [
        { path: 'body.amountFen', message: 'Too small' },
        { path: 'body.reason', message: 'Required' },
        { path: 'body.skus.0.priceFen', message: 'Too big' },
      ],
    });
    expect(errorDetail(error)).toBe('请检查：退款金额、原因、价格');
    expect(errorDetail(new ApiError(400, 'VALIDATION_ERROR', 'x', { fields: [{ path: 'body.zzz' }] }))).toBe(
      '请检查填写的内容',
    );
  });

  it("reads the facts in details: what is left to refund, the order's status, the stock, the wait", () => {
    expect(errorDetail(new ApiError(422, 'REFUND_EXCEEDS_PAID', 'x', { refundableFen: 1250 }))).toBe(
      '这笔订单最多还可退 ¥12.50',
    );
    expect(errorDetail(new ApiError(409, 'ORDER_STATE_CONFLICT', 'x', { status: 'REFUNDED' }))).toBe(
      '订单当前状态：已退款',
    );
    expect(errorDetail(new ApiError(409, 'OUT_OF_STOCK', 'x', { stock: 3, deltaQty: -5 }))).toBe(
      '当前库存 3 件',
    );
    expect(errorDetail(new ApiError(429, 'TOO_MANY_REQUESTS', 'x', {}, 42))).toBe('请在 42 秒后再试');
    expect(errorText(new ApiError(403, 'FORBIDDEN', ENGLISH))).toBe(
      '没有权限执行此操作：当前账号的角色不能执行此操作，请联系店主',
    );
    expect(errorHeadline('INVALID_CREDENTIALS')).toBe('用户名或密码错误');
  });

  it("takes the page's own words for a code where only the page knows what it means", () => {
    const taken = new ApiError(409, 'CONFLICT', 'That username is taken', { username: 'clerk' });
    expect(errorDetail(taken, { CONFLICT: '该用户名已被使用' })).toBe('该用户名已被使用');
    expect(errorDetail(taken)).toBe('数据已被修改或正在处理，请刷新后重试');
  });
});
