import { expect, test } from './fixtures';
import { formatFen } from '@shop/contract';
import { PHONE } from './devices';
import { newBuyer, OWNER, paidOrder, productWithSpecs } from './support/api';
import { openOrderByNumber, signInAdmin } from './support/admin';
import { shown, signInShop } from './support/shop';
import { systemUrls } from './system';

/**
 * A merchant refunds part of a paid order in the admin (desktop), and the shopper sees it on the order (phone): the
 * owner signs in, finds the order by its number, reads the notify that paid it in the payment timeline, refunds one
 * of its two units; the order stays paid with the refunded amount shown on both sides.
 */

test('a merchant finds an order by number, sees its notify, refunds part of it; the shopper sees the refund', async ({
  page,
  browser,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '冯退退');
  const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20', 2);
  const order = await paidOrder(request, urls, buyer.userId, [{ skuId: sku.id, quantity: 2 }]);
  const refundFen = sku.priceFen;
  expect(order.totalFen).toBe(2 * refundFen);

  // The merchant signs in and finds the order by its number.
  await page.goto(`${urls.admin}/login`);
  await signInAdmin(page, OWNER);
  await expect(page.getByTestId('current-admin')).toBeVisible();
  await openOrderByNumber(page, order.orderNo);
  await expect(page.getByTestId('order-status')).toHaveText('已支付');

  // The payment timeline: the trade created, the notify that proved it (verified, applied), the payment.
  const timeline = page.getByTestId('payment-timeline');
  await expect(timeline.getByTestId('timeline-gateway-create').first()).toBeVisible();
  const notify = timeline.getByTestId('timeline-notify').first();
  await expect(notify.getByTestId('notify-verified')).toHaveText('验签通过');
  await expect(notify.getByTestId('notify-outcome')).toHaveText('已生效');
  await expect(timeline.getByTestId('timeline-payment-paid')).toBeVisible();

  // Refund one of the two units.
  await page.getByTestId('order-refund').click();
  const dialog = page.getByRole('dialog', { name: '退款' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('退款金额（元）').fill(formatFen(refundFen, { symbol: false, grouping: false }));
  await dialog.getByLabel('退款原因').fill('一件有瑕疵，退一件的钱');
  await dialog.getByTestId('refund-submit').click();
  await expect(page.getByTestId('order-notice')).toContainText(
    `退款成功：${formatFen(refundFen)} 已退回买家`,
  );
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('order-refunded')).toContainText(formatFen(refundFen));
  await expect(page.getByTestId('order-refundable')).toContainText(formatFen(order.totalFen - refundFen));
  // A partial refund keeps the order paid.
  await expect(page.getByTestId('order-status')).toHaveText('已支付');
  await expect(timeline.getByTestId('timeline-refund')).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-refund-succeeded')).toBeVisible();

  // The shopper, on their phone, sees the refunded amount on the order, which is still to be shipped.
  const shopper = await browser.newContext(PHONE);
  try {
    const shopPage = await shopper.newPage();
    await signInShop(shopPage, urls, buyer.userId, `/pages/order/index?id=${order.id}`);
    const detail = shown(shopPage.getByTestId('order-detail'));
    await expect(detail.getByTestId('order-status')).toHaveText('待发货');
    await expect(detail.getByTestId('order-total')).toHaveText(formatFen(order.totalFen));
    await expect(detail.getByTestId('order-refunded')).toHaveText(formatFen(refundFen));
    await expect(detail.getByTestId('order-timeline')).toContainText('退款成功');
  } finally {
    await shopper.close();
  }
});
