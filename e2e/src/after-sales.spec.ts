import type { APIRequestContext } from '@playwright/test';
import { formatFen, type AfterSaleView, type ProductDetail, type ProductList } from '@shop/contract';
import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { adminHeaders, newBuyer, ok, OWNER, paidOrder, shopperHeaders, type Headers } from './support/api';
import { signInAdmin } from './support/admin';
import { shown, signInShop } from './support/shop';
import { systemUrls, type E2eUrls } from './system';

/**
 * After-sales across the shop (phone) and the admin (desktop), against the real API and the sandbox: a shopper asks
 * for a refund of one line of a shipped order, the merchant approves it from the 售后 list (its badge counting it),
 * the refund reaches the sandbox exactly once and the shopper reads 退款成功 under 退款/售后; asking again for more
 * than is left is refused with what is left; a refused request shows the merchant's reason.
 */

/** A product with two SKUs in stock, for an order of two lines. */
async function twoSkus(request: APIRequestContext, urls: E2eUrls) {
  const list = await ok<ProductList>(await request.get(`${urls.api}/api/products?featured=true&limit=30`));
  for (const item of list.items.filter((p) => !p.soldOut)) {
    const product = await ok<ProductDetail>(await request.get(`${urls.api}/api/products/${item.id}`));
    const skus = product.skus.filter((s) => s.stock >= 2);
    if (skus.length >= 2) return { product, skus: [skus[0]!, skus[1]!] as const };
  }
  throw new Error('no featured product with two SKUs in stock');
}

async function refundsAtSandbox(request: APIRequestContext, urls: E2eUrls, outTradeNo: string) {
  const ledger = await ok<{ items: Array<{ kind: string; amountFen: number }> }>(
    await request.get(`${urls.sandbox}/sandbox/ledger?outTradeNo=${outTradeNo}`),
  );
  return ledger.items.filter((i) => i.kind === 'refund');
}

async function ship(request: APIRequestContext, urls: E2eUrls, headers: Headers, orderId: string) {
  await ok(
    await request.post(`${urls.api}/api/admin/orders/${orderId}/ship`, {
      headers,
      data: { carrier: '顺丰速运', trackingNo: `SF${Date.now()}` },
    }),
  );
}

test('a shopper asks a refund of one line of a shipped order, the merchant approves it, the sandbox refunds once; more than is left is refused', async ({
  page,
  browser,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '韩售后');
  const { skus } = await twoSkus(request, urls);
  const order = await paidOrder(request, urls, buyer.userId, [
    { skuId: skus[0].id, quantity: 1 },
    { skuId: skus[1].id, quantity: 1 },
  ]);
  const owner = await adminHeaders(request, urls, OWNER);
  await ship(request, urls, owner, order.id);
  const [first] = order.items;

  const phone = await browser.newContext(PHONE);
  try {
    const shop = await phone.newPage();
    await signInShop(shop, urls, buyer.userId, `/pages/order/index?id=${order.id}`);
    const detail = shown(shop.getByTestId('order-detail'));
    await expect(detail.getByTestId('order-status')).toHaveText('待收货');
    await detail.getByTestId('order-logistics').click();
    await expect(shown(shop.getByTestId('logistics-carrier'))).toHaveText('顺丰速运');
    await shop.goBack();

    // 申请退款/售后 for the first line only, with a reason.
    await shown(shop.getByTestId('order-after-sale-apply')).click();
    const form = shown(shop.getByTestId('after-sale-apply'));
    await expect(form.getByTestId('apply-line')).toHaveCount(2);
    await form.getByTestId('apply-line').nth(1).click();
    await expect(form.getByTestId('apply-amount')).toHaveText(formatFen(first!.lineTotalFen));
    await form.getByTestId('apply-reason').filter({ hasText: '商品破损' }).click();
    await form.getByTestId('apply-description').locator('textarea').fill('外包装压坏了');
    // A photo of the damage, through the page's picker (H5: a file input), uploaded as its bytes.
    const jpeg = await shop.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 600;
      canvas.height = 400;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#a0522d';
      context.fillRect(0, 0, 600, 400);
      return canvas.toDataURL('image/jpeg', 0.9).split(',')[1]!;
    });
    const chooser = shop.waitForEvent('filechooser');
    await form.getByTestId('apply-add-photo').click();
    await (
      await chooser
    ).setFiles({ name: 'damage.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpeg, 'base64') });
    await expect(form.getByTestId('apply-photo')).toHaveCount(1);
    await form.getByTestId('apply-submit').click();
    const progress = shown(shop.getByTestId('after-sale-detail'));
    await expect(progress.getByTestId('after-sale-status')).toHaveText('待商家处理');
    await expect(progress.getByTestId('after-sale-amount')).toHaveText(formatFen(first!.lineTotalFen));

    // The merchant: the badge counts it; open it from the 售后 list and approve.
    await page.goto(`${urls.admin}/login`);
    await signInAdmin(page, OWNER);
    await expect(page.getByTestId('after-sale-badge')).toBeVisible();
    await page.getByTestId('nav-afterSales').click();
    const row = page.getByTestId('after-sale-table').getByRole('row').filter({ hasText: order.orderNo });
    await row.getByTestId('after-sale-open').click();
    await expect(page.getByRole('img', { name: '买家上传的凭证' })).toHaveCount(1);
    await page.getByTestId('after-sale-approve').click();
    await expect(page.getByTestId('after-sale-detail-status')).toHaveText('退款成功');
    await expect(page.getByTestId('after-sale-notice')).toContainText(formatFen(first!.lineTotalFen));

    // Exactly one refund reached the sandbox, for that line.
    const refunds = await refundsAtSandbox(request, urls, order.orderNo);
    expect(refunds.map((r) => r.amountFen)).toEqual([first!.lineTotalFen]);

    // The shopper reads 退款成功 under 退款/售后.
    await shop.goto(`${urls.shop}/pages/orders/index?tab=REFUND`);
    const card = shown(shop.getByTestId('order-card')).filter({ hasText: order.orderNo });
    await expect(card.getByTestId('order-card-after-sale')).toHaveText('售后：退款成功');

    // Asking for both lines now is more than is left: refused, saying what is left.
    await shop.goto(`${urls.shop}/pages/after-sale-apply/index?orderId=${order.id}`);
    const again = shown(shop.getByTestId('after-sale-apply'));
    await expect(again.getByTestId('apply-amount')).toHaveText(formatFen(order.totalFen));
    await again.getByTestId('apply-reason').filter({ hasText: '质量问题' }).click();
    await again.getByTestId('apply-submit').click();
    await expect(again.getByTestId('apply-error')).toHaveText(
      `超出可退金额，最多可退 ${formatFen(order.totalFen - first!.lineTotalFen)}`,
    );
    expect(await refundsAtSandbox(request, urls, order.orderNo)).toHaveLength(1);
  } finally {
    await phone.close();
  }
});

test('a refused request shows the shopper the merchant’s reason', async ({ page, browser, request }) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '秦拒绝');
  const { skus } = await twoSkus(request, urls);
  const order = await paidOrder(request, urls, buyer.userId, [{ skuId: skus[0].id, quantity: 1 }]);
  const shopper = await shopperHeaders(request, urls, buyer.userId);
  const asked = await ok<AfterSaleView>(
    await request.post(`${urls.api}/api/orders/${order.id}/after-sales`, {
      headers: shopper,
      data: { kind: 'REFUND_ONLY', reason: '不想要了' },
    }),
  );

  await page.goto(`${urls.admin}/after-sales/detail?id=${asked.id}`);
  await signInAdmin(page, OWNER);
  await expect(page.getByTestId('after-sale-detail-status')).toHaveText('待处理');
  await page.getByTestId('after-sale-refuse').click();
  await page.getByTestId('after-sale-refuse-reason').fill('商品已发出，请收到后申请退货退款');
  await page.getByTestId('after-sale-refuse-submit').click();
  await expect(page.getByTestId('after-sale-detail-status')).toHaveText('已拒绝');

  const phone = await browser.newContext(PHONE);
  try {
    const shop = await phone.newPage();
    await signInShop(shop, urls, buyer.userId, `/pages/after-sale/index?id=${asked.id}`);
    const progress = shown(shop.getByTestId('after-sale-detail'));
    await expect(progress.getByTestId('after-sale-status')).toHaveText('商家已拒绝');
    await expect(progress.getByTestId('after-sale-refuse-reason')).toHaveText(
      '商品已发出，请收到后申请退货退款',
    );
    await shop.goto(`${urls.shop}/pages/order/index?id=${order.id}`);
    await expect(shown(shop.getByTestId('order-timeline'))).toContainText(
      '商家拒绝了售后申请：商品已发出，请收到后申请退货退款',
    );
    expect(await refundsAtSandbox(request, urls, order.orderNo)).toHaveLength(0);
  } finally {
    await phone.close();
  }
});
