import { type AddressBody, type AdminProductDetail, type CategoryList, formatFen } from '@shop/contract';
import { expect, test } from './fixtures';
import { PHONE } from './devices';
import {
  addAddress,
  adminHeaders,
  HOME_ADDRESS,
  newBuyer,
  ok,
  payAtSandbox,
  placeOrder,
  productWithSpecs,
  shopperHeaders,
} from './support/api';
import { fillAddress, shown, signInShop } from './support/shop';
import { systemUrls } from './system';

/**
 * The rough edges shoppers notice at once, on the H5 build: the 退款/售后 tab lists a partly refunded order too;
 * amounts are called what they are (应付 / 实付 / 订单金额); one phone mask everywhere (139****9000); 保存并使用
 * in the address chooser closes on the new address, chosen in the 省市区 picker; the quantity stepper says why it
 * stops at the stock.
 */

test.use(PHONE);

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

test('the 退款/售后 tab lists a partly refunded order; amounts read 应付, 实付 or 订单金额; phones are masked', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '钱退退');
  const shopper = await shopperHeaders(request, urls, buyer.userId);
  const address = await addAddress(request, urls, shopper);
  const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20', 6);
  const one = [{ skuId: sku.id, quantity: 1 }];

  const untouched = await payAtSandbox(
    request,
    urls,
    shopper,
    buyer.userId,
    (await placeOrder(request, urls, shopper, address.id, one)).id,
  );
  const twoUnits = (await placeOrder(request, urls, shopper, address.id, [{ skuId: sku.id, quantity: 2 }]))
    .id;
  const refunded = await payAtSandbox(request, urls, shopper, buyer.userId, twoUnits);
  const admin = await adminHeaders(request, urls);
  await ok(
    await request.post(`${urls.api}/api/admin/orders/${refunded.id}/refunds`, {
      headers: admin,
      data: { amountFen: sku.priceFen, reason: '一件有瑕疵' },
    }),
  );
  const unpaid = await placeOrder(request, urls, shopper, address.id, one);
  const cancelled = await placeOrder(request, urls, shopper, address.id, one);
  await ok(await request.post(`${urls.api}/api/orders/${cancelled.id}/cancel`, { headers: shopper }));

  const card = (orderNo: string) =>
    shown(page.locator(`[data-testid="order-card"][aria-label="订单 ${orderNo}"]`));

  // 我的 → 退款/售后: the partly refunded order (still 待发货), and only it.
  await signInShop(page, urls, buyer.userId, '/pages/me/index');
  await shown(page.getByTestId('me-orders-REFUND')).click();
  await expect(page).toHaveURL(/\/pages\/orders\/index\?tab=REFUND/);
  await expect(shown(page.getByTestId('order-card'))).toHaveCount(1);
  const refundCard = card(refunded.orderNo);
  await expect(refundCard.getByTestId('order-card-status')).toHaveText('待发货');
  await expect(refundCard.getByTestId('order-card-amount-label')).toHaveText('实付');
  await expect(refundCard.getByTestId('order-card-refund')).toHaveText(
    `（已退款 ${formatFen(sku.priceFen)}）`,
  );

  // 全部: the unpaid order says 应付, the cancelled one 订单金额, the paid one 实付.
  await shown(page.getByTestId('order-tab-all')).click();
  await expect(shown(page.getByTestId('order-card'))).toHaveCount(4);
  await expect(card(unpaid.orderNo).getByTestId('order-card-amount-label')).toHaveText('应付');
  await expect(card(cancelled.orderNo).getByTestId('order-card-amount-label')).toHaveText('订单金额');
  await expect(card(untouched.orderNo).getByTestId('order-card-amount-label')).toHaveText('实付');

  // The details say the same, and mask the phone as the address book does.
  await card(unpaid.orderNo).click();
  const detail = shown(page.getByTestId('order-detail'));
  await expect(detail.getByTestId('order-amount-label')).toHaveText('应付款');
  await expect(detail).toContainText(masked(HOME_ADDRESS.phone));
  await expect(detail).not.toContainText(HOME_ADDRESS.phone);
  await page.goto(`${urls.shop}/pages/order/index?id=${refunded.id}`);
  await expect(detail.getByTestId('order-amount-label')).toHaveText('实付款');
  await expect(detail.getByTestId('order-refunded')).toHaveText(formatFen(sku.priceFen));
  await page.goto(`${urls.shop}/pages/order/index?id=${cancelled.id}`);
  await expect(detail.getByTestId('order-status')).toHaveText('已关闭');
  await expect(detail.getByTestId('order-amount-label')).toHaveText('订单金额');
  await page.goto(`${urls.shop}/pages/addresses/index`);
  await expect(shown(page.getByTestId('address-card'))).toContainText(masked(HOME_ADDRESS.phone));
});

test('保存并使用 closes the address chooser on the new address, its region chosen in the 省市区 picker', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '搬新家');
  await addAddress(request, urls, await shopperHeaders(request, urls, buyer.userId));
  const { product, sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');
  const moved: AddressBody = {
    name: '赵新家',
    phone: '13612345678',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园南区 8 号',
    isDefault: false,
  };

  await signInShop(
    page,
    urls,
    buyer.userId,
    `/pages/checkout/index?productId=${product.id}&skuId=${sku.id}&quantity=1`,
  );
  const current = shown(page.getByTestId('checkout-address'));
  await expect(current).toContainText(HOME_ADDRESS.name);
  await expect(current).toContainText(masked(HOME_ADDRESS.phone));

  await current.click();
  const chooser = shown(page.getByTestId('address-chooser'));
  await chooser.getByTestId('address-new').click();
  await fillAddress(chooser, moved);
  await chooser.getByTestId('address-save').click();

  // The sheet is gone and the checkout uses the new address.
  await expect(chooser).toBeHidden();
  await expect(current).toContainText(moved.name);
  await expect(current).toContainText(masked(moved.phone));
  await expect(current).toContainText('广东省 深圳市 南山区 科技园南区 8 号');
});

test('the quantity stepper says why it stops at the stock', async ({ page, request }) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '多买点');
  const admin = await adminHeaders(request, urls);
  const { items: categories } = await ok<CategoryList>(await request.get(`${urls.api}/api/categories`));
  // A product of this test's own with two left, so no other test changes its stock.
  const product = await ok<AdminProductDetail>(
    await request.post(`${urls.api}/api/admin/products`, {
      headers: admin,
      data: {
        categoryId: categories[0]!.id,
        title: `限量保温杯 ${buyer.userId.slice(-4)}`,
        status: 'PUBLISHED',
        skus: [{ priceFen: 5900, stock: 2 }],
      },
    }),
  );

  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await shown(page.getByTestId('product-buy-now')).click();
  const sheet = shown(page.getByTestId('spec-sheet'));
  await expect(sheet.getByTestId('spec-low-stock')).toHaveText('仅剩 2 件，抓紧下单');
  const stepper = sheet.getByTestId('quantity-stepper');
  const plus = stepper.locator('.nut-inputnumber-add');
  await plus.click();
  await expect(stepper.locator('input')).toHaveValue('2');
  await plus.click();
  await expect(page.getByText('库存不足，仅剩 2 件')).toBeVisible();
  await expect(stepper.locator('input')).toHaveValue('2');
});
