import { expect, test } from './fixtures';
import { formatFen } from '@shop/contract';
import { PHONE } from './devices';
import { addAddress, newBuyer, productWithSpecs, shopperHeaders } from './support/api';
import {
  cancelInCashier,
  chooseSku,
  expectCashier,
  orderIdFromUrl,
  payInCashier,
  shown,
  signInShop,
} from './support/shop';
import { systemUrls } from './system';

/**
 * The shopper leaves the cashier without paying (my.tradePay's 6001): the order stays pending, with its countdown
 * and 去支付; paying again from the order's page opens the cashier for the same amount, and this time it is paid.
 */

test.use(PHONE);

test('a shopper cancels in the cashier, sees the order pending, pays again from the order page', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '吴再付');
  await addAddress(request, urls, await shopperHeaders(request, urls, buyer.userId));
  const { product, sku } = await productWithSpecs(request, urls, 'sort=price_asc&limit=20');

  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await shown(page.getByTestId('product-buy-now')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await shown(page.getByTestId('checkout-submit')).click();

  // Cancel in the cashier: the result page says the payment did not finish and offers to pay again.
  await expectCashier(page, urls, sku.priceFen);
  const tradeNo = new URL(page.url()).searchParams.get('trade_no');
  await cancelInCashier(page, urls);
  const orderId = orderIdFromUrl(page);
  const result = page.getByTestId('pay-result');
  await expect(result).toHaveAttribute('data-outcome', 'pending');
  await expect(result.getByTestId('pay-result-status')).toHaveText('支付未完成');
  await expect(result.getByTestId('pay-result-pay-again')).toBeVisible();

  // The order is still waiting for payment, with its countdown.
  await result.getByTestId('pay-result-view-order').click();
  await expect(page).toHaveURL(new RegExp(`/pages/order/index\\?id=${orderId}`));
  const detail = shown(page.getByTestId('order-detail'));
  await expect(detail.getByTestId('order-status')).toHaveText('待付款');
  await expect(detail.getByTestId('order-countdown')).toContainText(/剩余 1?\d:\d\d 未支付将自动关闭/);
  await expect(detail.getByTestId('order-total')).toHaveText(formatFen(sku.priceFen));

  // Pay again from the order page: the same trade and amount in the cashier, paid this time.
  await shown(page.getByTestId('order-pay')).click();
  await expectCashier(page, urls, sku.priceFen);
  expect(new URL(page.url()).searchParams.get('trade_no')).toBe(tradeNo);
  await payInCashier(page, urls);
  expect(orderIdFromUrl(page)).toBe(orderId);
  await expect(result).toHaveAttribute('data-outcome', 'paid');
  await expect(result.getByTestId('pay-result-status')).toHaveText('支付成功');
  await result.getByTestId('pay-result-view-order').click();
  await expect(detail.getByTestId('order-status')).toHaveText('待发货');
  await expect(detail.getByTestId('order-countdown')).toHaveCount(0);
  await expect(shown(page.getByTestId('order-pay'))).toHaveCount(0);
});
