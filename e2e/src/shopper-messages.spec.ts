import { expect, test } from './fixtures';
import type { MessageAgreementView, OrderView, ShopperMessageList } from '@shop/contract';
import { formatFen } from '@shop/contract';
import type { Page } from '@playwright/test';
import { PHONE } from './devices';
import { addAddress, newBuyer, ok, productWithSpecs, shopperHeaders, type Headers } from './support/api';
import { chooseSku, expectCashier, orderIdFromUrl, payInCashier, shown, signInShop } from './support/shop';
import { systemUrls, type E2eUrls } from './system';

/**
 * Subscription messages from checkout to the shopper's phone: the shopper ticks 订阅支付、发货和退款通知, the shop asks
 * (on H5 the sandbox's subscribe page stands in for my.requestSubscribeMessage), records the answer and goes on to
 * pay; once the order is paid the API's outbox sends alipay.open.app.mini.templatemessage.send, which the sandbox
 * shows on the buyer's messages page, and 我的 › 消息通知 lists it. Refusing costs nothing: the order is paid all the
 * same and no agreement is recorded.
 */

test.use(PHONE);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Signs in, opens a product and buys one of a spec now, the address already on file: checkout, ready to submit. */
async function openCheckout(page: Page, urls: E2eUrls, buyerId: string) {
  const { product, sku } = await productWithSpecs(page.request, urls, 'sort=price_asc&limit=20');
  await signInShop(page, urls, buyerId, `/pages/product/index?id=${product.id}`);
  await shown(page.getByTestId('product-buy-now')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await expect(page).toHaveURL(/\/pages\/checkout\/index\?/);
  return { product, sku };
}

/** The subscribe page, asked for the shop's three templates for this buyer, each checked by default. */
async function expectSubscribePage(page: Page, urls: E2eUrls, buyerId: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.sandbox)}/sandbox/subscribe\\?`));
  expect(new URL(page.url()).searchParams.get('buyer_id')).toBe(buyerId);
  for (const kind of ['payment', 'shipping', 'refund']) {
    await expect(page.getByTestId(`subscribe-template-${kind}`)).toBeChecked();
  }
}

async function agreements(page: Page, urls: E2eUrls, headers: Headers): Promise<MessageAgreementView> {
  return ok<MessageAgreementView>(
    await page.request.get(`${urls.api}/api/me/message-agreements`, { headers }),
  );
}

test('a shopper subscribes at checkout, pays, and gets 支付成功通知 in Alipay and under 我的 › 消息通知', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '郑订阅');
  const headers = await shopperHeaders(request, urls, buyer.userId);
  await addAddress(request, urls, headers);
  const { sku } = await openCheckout(page, urls, buyer.userId);

  // The option is there, unticked; tick it and submit.
  const option = shown(page.getByTestId('checkout-subscribe'));
  await expect(option).toHaveText(/订阅支付、发货和退款通知/);
  await expect(option).toHaveAttribute('aria-checked', 'false');
  await option.click();
  await expect(option).toHaveAttribute('aria-checked', 'true');
  await shown(page.getByTestId('checkout-submit')).click();

  // The subscribe page (my.requestSubscribeMessage's stand-in) before the cashier: 允许 all three.
  await expectSubscribePage(page, urls, buyer.userId);
  await page.getByTestId('subscribe-accept').click();

  // Back at the order, the shop records the answer and goes on to pay: the cashier, for the order's amount.
  await expectCashier(page, urls, sku.priceFen);
  await payInCashier(page, urls);
  const orderId = orderIdFromUrl(page);
  await expect(page.getByTestId('pay-result')).toHaveAttribute('data-outcome', 'paid');
  const order = await ok<OrderView>(await request.get(`${urls.api}/api/orders/${orderId}`, { headers }));

  // Alipay's message list (the sandbox's messages page): 支付成功通知 for this order, sent by the outbox worker.
  const sandboxCard = page
    .getByTestId('sandbox-message')
    .filter({ hasText: '支付成功通知' })
    .filter({ hasText: order.orderNo });
  await expect(async () => {
    await page.goto(`${urls.sandbox}/sandbox/messages?buyer_id=${buyer.userId}`);
    await expect(sandboxCard).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(sandboxCard).toContainText(formatFen(order.totalFen));
  await expect(sandboxCard).toContainText(`pages/order/index?id=${orderId}`);

  // One agreement per message: the payment one is spent, shipping and refund are still there.
  expect((await agreements(page, urls, headers)).remaining).toEqual({ payment: 0, shipping: 1, refund: 1 });

  // 我的 › 消息通知: the count, then the message with its lines; it opens the order.
  await page.goto(`${urls.shop}/pages/me/index`);
  await expect(shown(page.getByTestId('me-messages-count'))).toHaveText('1 条');
  await shown(page.getByTestId('me-messages')).click();
  await expect(page).toHaveURL(/\/pages\/messages\/index/);
  const message = shown(page.getByTestId('shopper-message'));
  await expect(message).toHaveCount(1);
  await expect(message).toContainText('支付成功通知');
  await expect(message).toContainText(`订单编号${order.orderNo}`);
  await expect(message).toContainText(`支付金额${formatFen(order.totalFen)}`);
  const { items } = await ok<ShopperMessageList>(
    await request.get(`${urls.api}/api/me/messages`, { headers }),
  );
  expect(items.map((item) => [item.kind, item.orderId])).toEqual([['payment', orderId]]);
  await message.click();
  await expect(page).toHaveURL(new RegExp(`/pages/order/index\\?id=${orderId}`));
  await expect(shown(page.getByTestId('order-status'))).toHaveText('待发货');
});

test('a shopper who refuses on the subscribe page still pays, and nothing is agreed', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '钱不订');
  const headers = await shopperHeaders(request, urls, buyer.userId);
  await addAddress(request, urls, headers);
  const { sku } = await openCheckout(page, urls, buyer.userId);

  await shown(page.getByTestId('checkout-subscribe')).click();
  await shown(page.getByTestId('checkout-submit')).click();
  await expectSubscribePage(page, urls, buyer.userId);
  await page.getByTestId('subscribe-reject').click();

  await expectCashier(page, urls, sku.priceFen);
  await payInCashier(page, urls);
  await expect(page.getByTestId('pay-result')).toHaveAttribute('data-outcome', 'paid');
  expect((await agreements(page, urls, headers)).remaining).toEqual({ payment: 0, shipping: 0, refund: 0 });

  await page.goto(`${urls.shop}/pages/messages/index`);
  await expect(shown(page.getByTestId('state-empty'))).toContainText('还没有消息通知');
});
