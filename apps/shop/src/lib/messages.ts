import Taro from '@tarojs/taro';

import { api, client, errorMessage } from '../api';
import { platform } from '../platform';

/**
 * Subscription messages (ALIPAY.md, "Subscription messages"): at checkout the shopper may agree to the payment,
 * shipping and refund templates (Alipay's one-time subscription: one message per agreement), the API records the
 * ones they accepted, and its outbox sends one message of each kind when the order is paid, shipped or refunded.
 * Asking is never in the way of paying: a refusal or a failure only tells the shopper, and checkout goes on.
 */

/**
 * Asks the shopper to agree to the templates, then records the answer. On Alipay the native panel answers here; on
 * H5 the page leaves for the sandbox's subscribe page and this never settles: it comes back to `returnTo`, whose
 * page records the answer with `recordAgreements(platform.subscribeResult())`. Never rejects.
 */
export async function askForMessages(templateIds: readonly string[], returnTo: string): Promise<void> {
  let accepted: string[];
  try {
    accepted = await platform.requestSubscribeMessage(templateIds, {
      returnTo,
      // A session stored before the API named the user id has none: H5 then cannot ask (Alipay knows its user).
      alipayUserId: client.user()?.alipayUserId ?? null,
    });
  } catch (error) {
    void Taro.showToast({ title: errorMessage(error), icon: 'none' });
    return;
  }
  await recordAgreements(accepted);
}

/** Tells the API which templates the shopper accepted, and the shopper how it went. Never rejects. */
export async function recordAgreements(accepted: readonly string[]): Promise<void> {
  if (accepted.length === 0) {
    void Taro.showToast({ title: '未订阅', icon: 'none' });
    return;
  }
  try {
    await api.agreeToMessages({ templateIds: [...accepted] });
    void Taro.showToast({ title: '已订阅通知', icon: 'success' });
  } catch (error) {
    void Taro.showToast({ title: `未订阅：${errorMessage(error)}`, icon: 'none' });
  }
}
