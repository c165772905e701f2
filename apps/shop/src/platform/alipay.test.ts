import { describe, expect, it, vi } from 'vitest';

import { acceptedTemplateIds, createAlipayPlatform, type AlipayMy } from './alipay';
import { PlatformError } from './types';

type AuthOptions = Parameters<AlipayMy['getAuthCode']>[0];
type PayOptions = Parameters<AlipayMy['tradePay']>[0];
type SubscribeOptions = Parameters<NonNullable<AlipayMy['requestSubscribeMessage']>>[0];

/** A stand-in for the mini-program's `my` global that answers each call the way the test says. */
function stubMy(answers: {
  auth?: (options: AuthOptions) => void;
  pay?: (options: PayOptions) => void;
  subscribe?: (options: SubscribeOptions) => void;
}): AlipayMy & {
  getAuthCode: ReturnType<typeof vi.fn>;
  tradePay: ReturnType<typeof vi.fn>;
  requestSubscribeMessage: ReturnType<typeof vi.fn>;
} {
  return {
    getAuthCode: vi.fn((options: AuthOptions) => answers.auth?.(options)),
    tradePay: vi.fn((options: PayOptions) => answers.pay?.(options)),
    requestSubscribeMessage: vi.fn((options: SubscribeOptions) => answers.subscribe?.(options)),
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

const PAYMENT = 'tpl-payment';
const SHIPPING = 'tpl-shipping';
const REFUND = 'tpl-refund';
const ASKED = [PAYMENT, SHIPPING, REFUND];

describe('reading my.requestSubscribeMessage’s answer', () => {
  it('takes result.subscribeEntityIds, this request’s accepted templates, in the order asked', () => {
    const answer = {
      behavior: 'subscribe',
      show: true,
      keep: false,
      result: {
        subscribeEntityIds: [REFUND, PAYMENT],
        subscribedEntityIds: [PAYMENT, REFUND],
        unsubscribedEntityIds: [SHIPPING],
        currentSubscribedEntityIds: [PAYMENT, REFUND],
      },
      [PAYMENT]: 'accept',
      [SHIPPING]: 'reject',
      [REFUND]: 'accept',
    };
    expect(acceptedTemplateIds(ASKED, answer)).toEqual([PAYMENT, REFUND]);
  });

  it('lets the lists win over the per-template keys, and never counts templates accepted before', () => {
    // Refused this time (nothing new), though accepted before: subscribedEntityIds still names it.
    const refused = {
      behavior: 'subscribe',
      result: {
        subscribedEntityIds: [PAYMENT],
        unsubscribedEntityIds: [SHIPPING],
        currentSubscribedEntityIds: [],
      },
      [PAYMENT]: 'accept',
    };
    expect(acceptedTemplateIds(ASKED, refused)).toEqual([]);
    const current = { result: { currentSubscribedEntityIds: [SHIPPING] } };
    expect(acceptedTemplateIds(ASKED, current)).toEqual([SHIPPING]);
  });

  it('reads the per-template accept / reject keys when there is no list', () => {
    const keyed = {
      errMsg: 'requestSubscribeMessage:ok',
      [PAYMENT]: 'accept',
      [SHIPPING]: 'reject',
      [REFUND]: 'accept',
    };
    expect(acceptedTemplateIds(ASKED, keyed)).toEqual([PAYMENT, REFUND]);
    expect(acceptedTemplateIds(ASKED, { result: { entityList: ASKED }, [SHIPPING]: 'accept' })).toEqual([
      SHIPPING,
    ]);
  });

  it('counts only ids that were asked for, each once', () => {
    expect(
      acceptedTemplateIds([PAYMENT], { result: { subscribeEntityIds: [PAYMENT, 'someone-else'] } }),
    ).toEqual([PAYMENT]);
    expect(acceptedTemplateIds([PAYMENT, PAYMENT], { [PAYMENT]: 'accept', other: 'accept' })).toEqual([
      PAYMENT,
    ]);
  });

  it.each([
    ['a cancelled panel', { behavior: 'cancel', result: { entityList: ASKED }, [PAYMENT]: 'accept' }],
    ['a failed one', { behavior: '', [PAYMENT]: 'accept' }],
    ['nothing', undefined],
    ['not an object', 'accept'],
    ['ids that are not text', { result: { subscribeEntityIds: [1, null] } }],
    ['other values', { [PAYMENT]: true, [SHIPPING]: 'ACCEPT' }],
  ])('accepts nothing from %s', (_label, answer) => {
    expect(acceptedTemplateIds(ASKED, answer)).toEqual([]);
  });
});

describe('the Alipay platform: subscription messages', () => {
  it('asks my.requestSubscribeMessage for the templates and resolves with the accepted ids', async () => {
    const my = stubMy({
      subscribe: (o) => o.success({ behavior: 'subscribe', result: { subscribeEntityIds: [SHIPPING] } }),
    });
    const platform = createAlipayPlatform(my);
    await expect(
      platform.requestSubscribeMessage(ASKED, { returnTo: '/pages/order/index?id=o1', alipayUserId: null }),
    ).resolves.toEqual([SHIPPING]);
    expect((my.requestSubscribeMessage.mock.calls[0]?.[0] as SubscribeOptions).entityIds).toEqual(ASKED);
    expect(platform.subscribeResult()).toBeNull();
  });

  it('takes a closed panel (fail code 11) as a refusal', async () => {
    const my = stubMy({ subscribe: (o) => o.fail({ errorCode: 11, errorMessage: '用户取消订阅' }) });
    await expect(
      createAlipayPlatform(my).requestSubscribeMessage(ASKED, { returnTo: '/', alipayUserId: null }),
    ).resolves.toEqual([]);
  });

  it('reports any other failure with its code', async () => {
    const my = stubMy({
      subscribe: (o) => o.fail({ errorCode: 106008, errorMessage: '模板列表中存在非法/无效的模板 id' }),
    });
    const error = await failureOf(
      createAlipayPlatform(my).requestSubscribeMessage(ASKED, { returnTo: '/', alipayUserId: null }),
    );
    expect(error.code).toBe('FAILED');
    expect(error.message).toContain('订阅通知失败');
    expect(error.detail).toBe('106008 模板列表中存在非法/无效的模板 id');
  });

  it('asks nothing for no templates, and says so on a base library without the API', async () => {
    const my = stubMy({});
    await expect(
      createAlipayPlatform(my).requestSubscribeMessage([], { returnTo: '/', alipayUserId: null }),
    ).resolves.toEqual([]);
    expect(my.requestSubscribeMessage.mock.calls).toHaveLength(0);
    const old: AlipayMy = { getAuthCode: vi.fn(), tradePay: vi.fn() };
    const error = await failureOf(
      createAlipayPlatform(old).requestSubscribeMessage(ASKED, { returnTo: '/', alipayUserId: null }),
    );
    expect(error.code).toBe('UNAVAILABLE');
  });
});
