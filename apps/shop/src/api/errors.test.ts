import { describe, expect, it } from 'vitest';

import { PlatformError } from '../platform/types';
import { ApiError, errorFromResponse, errorMessage } from './errors';

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

  it('falls back to the server message for unexpected bodies and keeps platform messages', () => {
    expect(errorFromResponse(502, '<html>')).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(errorFromResponse(418, { nope: 1 })).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(errorMessage(new PlatformError('USER_CANCELLED', '你取消了支付宝授权'))).toBe(
      '你取消了支付宝授权',
    );
    expect(errorMessage('weird')).toBe('出错了，请稍后再试');
  });
});
