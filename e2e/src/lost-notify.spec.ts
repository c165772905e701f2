import { expect, test } from './fixtures';
import type { RunningSystem } from '@shop/scripts';
import { PHONE } from './devices';
import {
  addAddress,
  addFault,
  adminHeaders,
  adminOrder,
  clearFaults,
  newBuyer,
  productWithSpecs,
  sandboxNotifications,
  shopperHeaders,
} from './support/api';
import { chooseSku, expectCashier, orderIdFromUrl, payInCashier, shown, signInShop } from './support/shop';
import { startOwnSystem } from './system';

/**
 * Alipay's notify never arrives: the sandbox drops every notify attempt. The payment is still proven, by the API's
 * recovery job asking alipay.trade.query (three seconds after the trade opened, in e2e timing), and the shopper sees
 * the order paid. The fault is global to the sandbox, so this spec runs on a system of its own: on the shared one
 * it would take the notifies other specs rely on.
 */

let system: RunningSystem;

test.beforeAll(async () => {
  system = await startOwnSystem('lost-notify');
});
test.afterAll(async () => {
  await system?.stop();
});
test.afterEach(async ({ request }) => {
  await clearFaults(request, system.urls);
});

test.use(PHONE);

test('with every notify dropped, the order still becomes paid by query and the shop shows it', async ({
  page,
  request,
}) => {
  const urls = system.urls;
  await addFault(request, urls, { kind: 'notify-drop' });
  const buyer = await newBuyer(request, urls, '孙丢丢');
  // The address is not what this flow is about: the shopper has one already.
  await addAddress(request, urls, await shopperHeaders(request, urls, buyer.userId));
  const { product, sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');

  // Buy now, straight from the product page.
  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await expect(shown(page.getByTestId('product-title'))).toHaveText(product.title);
  await shown(page.getByTestId('product-buy-now')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await expect(page).toHaveURL(/\/pages\/checkout\/index\?productId=/);
  await expect(shown(page.getByTestId('checkout-address'))).toContainText('李四');
  await shown(page.getByTestId('checkout-submit')).click();

  await expectCashier(page, urls, sku.priceFen);
  await payInCashier(page, urls);
  const orderId = orderIdFromUrl(page);

  // No notify reaches the shop; the result page keeps asking the server, which learns of the payment by query.
  const result = page.getByTestId('pay-result');
  await expect(result).toHaveAttribute('data-outcome', 'paid', { timeout: 30_000 });
  await expect(result.getByTestId('pay-result-status')).toHaveText('支付成功');
  await result.getByTestId('pay-result-view-order').click();
  const detail = shown(page.getByTestId('order-detail'));
  await expect(detail.getByTestId('order-status')).toHaveText('待发货');
  const orderNo = (await detail.getByTestId('order-no').textContent())?.trim() ?? '';

  // The sandbox did try to notify, and dropped every attempt: nothing was delivered.
  const notifies = await sandboxNotifications(request, urls, orderNo);
  const payment = notifies.find((n) => n.kind === 'payment');
  expect(payment, 'the sandbox queued a payment notify').toBeDefined();
  expect(payment!.status).not.toBe('delivered');
  expect(payment!.attempts.length).toBeGreaterThan(0);
  expect(payment!.attempts.every((a) => a.outcome === 'dropped')).toBe(true);

  // And the shop's own record says how it knew: by query, with no notify received.
  const order = await adminOrder(request, urls, await adminHeaders(request, urls), orderId);
  expect(order.status).toBe('PAID');
  expect(order.payment.payment?.paidVia).toBe('query');
  expect(order.payment.notifies).toHaveLength(0);
});
