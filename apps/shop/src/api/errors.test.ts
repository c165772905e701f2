import { describe, expect, it } from 'vitest';

import { PlatformError } from '../platform/types';
import { ERROR_CODES } from '@shop/contract';

import {
  ApiError,
  errorFromResponse,
  errorMessage,
  needsSignIn,
  ShopError,
  type ApiErrorCode,
} from './errors';

describe('error messages by code', () => {
  it('reads the API error body', () => {
    const error = errorFromResponse(409, {
      error: { code: 'ORDER_EXPIRED', message: 'This order has expired', details: null },
    });
    expect(error).toMatchObject({ status: 409, code: 'ORDER_EXPIRED', message: 'This order has expired' });
    expect(errorMessage(error)).toBe('订单已超时关闭，请重新下单');
  });

  it('names the item that is out of stock, and how many are left', () => {
    const names = { itemName: (skuId: string) => (skuId === 's1' ? '保温杯 黑色' : undefined) };
    expect(errorMessage(new ApiError(409, 'OUT_OF_STOCK', 'x', { skuId: 's1', available: 2 }), names)).toBe(
      '“保温杯 黑色”库存不足，仅剩 2 件',
    );
    expect(errorMessage(new ApiError(409, 'OUT_OF_STOCK', 'x', { skuId: 's1', requested: 3 }), names)).toBe(
      '“保温杯 黑色”库存不足',
    );
    expect(errorMessage(new ApiError(409, 'OUT_OF_STOCK', 'x', { skuId: 's2', available: 0 }), names)).toBe(
      '商品库存不足，已售罄',
    );
  });

  it('reads unexpected bodies as codes and keeps platform and shop messages', () => {
    expect(errorFromResponse(502, '<html>')).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(errorFromResponse(418, { nope: 1 })).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(errorMessage(new PlatformError('USER_CANCELLED', '你取消了支付宝授权'))).toBe(
      '你取消了支付宝授权',
    );
    expect(errorMessage(new ShopError('没有指定订单'))).toBe('没有指定订单');
    expect(errorMessage('weird')).toBe('出错了，请稍后再试');
  });

  it("never shows the server's English message, for any code, nor the text of an unexpected error", () => {
    const codes = [
      ...Object.keys(ERROR_CODES),
      'NETWORK_ERROR',
      'BAD_RESPONSE',
      'SIGNED_OUT',
      'SIGN_IN_REQUIRED',
    ];
    for (const code of codes) {
      const english = 'Invalid body: amountFen must be an integer';
      const text = errorMessage(new ApiError(400, code as ApiErrorCode, english, { fields: [] }));
      expect(text, code).not.toContain('Invalid');
      expect(text, code).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(errorMessage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      '出错了，请稍后再试',
    );
  });

  it('says when the way on is signing in', () => {
    expect(needsSignIn(new ApiError(401, 'SIGNED_OUT', 'signed out'))).toBe(true);
    expect(needsSignIn(new ApiError(401, 'SIGN_IN_REQUIRED', 'x'))).toBe(true);
    expect(needsSignIn(new PlatformError('USER_CANCELLED', '你取消了支付宝授权'))).toBe(true);
    expect(needsSignIn(new ApiError(0, 'NETWORK_ERROR', 'x'))).toBe(false);
    expect(needsSignIn(new PlatformError('NETWORK', '网络异常'))).toBe(false);
  });
});
