import { describe, expect, it, vi } from 'vitest';

import { createAlipayPlatform, type AlipayMy } from './alipay';
import { PlatformError } from './types';

type AuthOptions = Parameters<AlipayMy['getAuthCode']>[0];
type PayOptions = Parameters<AlipayMy['tradePay']>[0];

/** A stand-in for the mini-program's `my` global that answers each call the way the test says. */
function stubMy(answers: {
  auth?: (options: AuthOptions) => void;
  pay?: (options: PayOptions) => void;
}): AlipayMy & { getAuthCode: ReturnType<typeof vi.fn>; tradePay: ReturnType<typeof vi.fn> } {
  return {
    getAuthCode: vi.fn((options: AuthOptions) => answers.auth?.(options)),
    tradePay: vi.fn((options: PayOptions) => answers.pay?.(options)),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<PlatformError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

describe('the Alipay platform', () => {
  it('asks my.getAuthCode for a silent auth_base code', async () => {
    const my = stubMy({ auth: (o) => o.success({ authCode: 'code-123' }) });
    await expect(createAlipayPlatform(my).getAuthCode()).resolves.toBe('code-123');
    expect(my.getAuthCode.mock.calls).toHaveLength(1);
    expect((my.getAuthCode.mock.calls[0]?.[0] as AuthOptions).scopes).toBe('auth_base');
  });

  it.each([
    [11, 'USER_CANCELLED', '取消'],
    [3, 'NO_RESULT', '没有返回'],
    [12, 'NETWORK', '网络'],
    [99, 'FAILED', '授权失败'],
  ])('turns getAuthCode fail code %s into %s', async (code, expected, words) => {
    const my = stubMy({ auth: (o) => o.fail({ error: code, errorMessage: 'native text' }) });
    const error = await failureOf(createAlipayPlatform(my).getAuthCode());
    expect(error.code).toBe(expected);
    expect(error.message).toContain(words);
    expect(error.detail).toBe(`${code} native text`);
  });

  it('treats a success without a code as no result', async () => {
    const my = stubMy({ auth: (o) => o.success({}) });
    expect((await failureOf(createAlipayPlatform(my).getAuthCode())).code).toBe('NO_RESULT');
  });

  it('never resumes a redirect: the mini-program has none', () => {
    expect(createAlipayPlatform(stubMy({})).resumeSignIn()).toBeNull();
  });

  it('signs in silently, so the shop does it at launch, and has no sign-in page to abandon', () => {
    const platform = createAlipayPlatform(stubMy({}));
    expect(platform.silentSignIn).toBe(true);
    expect(platform.signInAbandoned()).toBe(false);
  });

  it('pays with my.tradePay and hands back its resultCode as text, whatever it is', async () => {
    for (const resultCode of [9000, '6001', 4000, '8000']) {
      const my = stubMy({ pay: (o) => o.success({ resultCode }) });
      await expect(createAlipayPlatform(my).pay('2026112122001', { returnTo: '/x' })).resolves.toEqual({
        resultCode: String(resultCode),
      });
      expect((my.tradePay.mock.calls[0]?.[0] as PayOptions).tradeNO).toBe('2026112122001');
    }
  });

  it('reports a payment sheet that cannot open', async () => {
    const network = stubMy({ pay: (o) => o.fail({ error: 12 }) });
    expect((await failureOf(createAlipayPlatform(network).pay('t', { returnTo: '/' }))).code).toBe('NETWORK');
    const other = stubMy({ pay: (o) => o.fail({ error: 4, errorMessage: '无权调用' }) });
    const error = await failureOf(createAlipayPlatform(other).pay('t', { returnTo: '/' }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.detail).toBe('4 无权调用');
  });
});
