import { type Page } from '@playwright/test';
import { type WebhookEndpointList } from '@shop/contract';
import { expect, test } from './fixtures';
import { signInAdmin } from './support/admin';
import { adminHeaders, newBuyer, ok, OWNER, paidOrder, productWithSpecs, STAFF } from './support/api';
import { englishSentences } from './support/english';
import { type ReceivedWebhook, signedWith, startWebhookReceiver } from './support/webhook-receiver';
import { systemUrls } from './system';

/**
 * 消息推送 and the notification centre in the admin: the owner registers a webhook endpoint (a receiver this spec
 * runs, failing each event's first request), sees its secret once, and a paid order's webhook shows in the delivery
 * log with both tries (500, then 200) and its signature checks with that secret; a rotated secret is shown once
 * with until when the old one signs, and a delivery sent again carries both signatures. The bell shows unread
 * notifications, the centre lists 订单已支付 for the order, and 全部已读 clears the badge. Staff see the bell but
 * not 消息推送.
 */

const CHINA_TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/;

/** No English sentence in what the page shows (support/english.ts decides what counts). */
async function expectNoEnglish(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  const text = await page.evaluate(() => `${document.title}\n${document.body.innerText}`);
  expect(
    englishSentences(text).map((run) => run.text),
    `English on ${name}`,
  ).toEqual([]);
}

/** The requests the receiver got for one order's 订单已支付, in order. */
function paidWebhooks(received: readonly ReceivedWebhook[], orderNo: string): ReceivedWebhook[] {
  return received.filter((webhook) => {
    const order = webhook.event.data.order as { orderNo?: unknown } | undefined;
    return webhook.event.type === 'order.paid' && order?.orderNo === orderNo;
  });
}

test.describe('admin: webhooks and notifications', () => {
  test('the owner registers an endpoint, a paid order is delivered on its second try, the secret rotates, a delivery is sent again, and 全部已读 clears the bell', async ({
    page,
    context,
    request,
  }) => {
    test.setTimeout(120_000);
    const urls = systemUrls();
    const receiver = await startWebhookReceiver();
    const owner = await adminHeaders(request, urls);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: urls.admin });
      await page.goto(`${urls.admin}/login`);
      await signInAdmin(page, OWNER);
      await expect(page.getByTestId('notification-bell')).toBeVisible();
      await page.getByTestId('nav-webhooks').click();
      await expect(page).toHaveURL(/\/webhooks$/);
      await expect(page.getByTestId('webhooks-table')).toBeVisible();

      // The API refuses an address that is not http(s): its refusal shows beside the field, in Chinese.
      await page.getByTestId('webhook-create').click();
      const form = page.getByRole('dialog', { name: '新建推送地址' });
      await form.getByTestId('webhook-submit').click();
      await expect(form.getByText('请填写推送地址')).toBeVisible();
      await expect(form.getByText('至少选择一个事件')).toBeVisible();
      await form.getByLabel('推送地址').fill('ftp://erp.example.com/hooks');
      await form.getByLabel('订单已支付').check();
      await form.getByTestId('webhook-submit').click();
      await expect(form.getByTestId('dialog-error')).toContainText('输入有误');
      await expect(form.getByRole('alert').filter({ hasText: '以 http:// 或 https:// 开头' })).toBeVisible();

      // A real address: the secret is shown once, with the warning, and copies to the clipboard.
      await form.getByLabel('推送地址').fill(receiver.url);
      await form.getByLabel('备注').fill('端到端测试的接收方');
      await form.getByTestId('webhook-submit').click();
      await expect(form).toBeHidden();
      const shown = page.getByRole('dialog', { name: '推送地址已创建' });
      await expect(shown.getByTestId('webhook-secret-warning')).toContainText('密钥只显示这一次');
      const secret = (await shown.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_[\w-]{43}$/);
      await shown.getByTestId('webhook-secret-copy').click();
      await expect(shown.getByTestId('webhook-secret-copy')).toHaveText('已复制');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await shown.getByTestId('webhook-secret-done').click();
      await expect(shown).toBeHidden();

      const row = page.getByTestId('webhook-row').filter({ hasText: receiver.url });
      await expect(row.getByTestId('webhook-status')).toHaveText('启用');
      await expect(row.getByTestId('webhook-event-titles')).toHaveText('订单已支付');
      await expect(row.getByTestId('webhook-secret-hint')).toHaveText(`尾号 ${secret.slice(-4)}`);
      await expectNoEnglish(page, 'webhooks');

      // Never again: not after a reload, not from the API.
      await page.reload();
      await expect(row.getByTestId('webhook-status')).toHaveText('启用');
      await expect(page.locator('body')).not.toContainText(secret);
      const listed = await request.get(`${urls.api}/api/admin/webhooks`, { headers: owner });
      expect(await listed.text()).not.toContain(secret);

      // A paid order: its 订单已支付 reaches the receiver twice (500, then 200), signed with the secret shown.
      const buyer = await newBuyer(request, urls, '魏推送');
      const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');
      const order = await paidOrder(request, urls, buyer.userId, [{ skuId: sku.id, quantity: 1 }]);
      await expect
        .poll(() => paidWebhooks(receiver.received, order.orderNo).map((w) => w.answeredWith), {
          timeout: 30_000,
        })
        .toEqual([500, 200]);
      const [first] = paidWebhooks(receiver.received, order.orderNo);
      expect(signedWith(first!, secret)).toBe(true);
      const eventId = first!.eventId;

      // The delivery log: the delivery, delivered on its second try, and both tries.
      await row.getByTestId('webhook-deliveries-link').click();
      await expect(page).toHaveURL(/\/webhooks\/deliveries\?id=/);
      await expect(page.getByTestId('deliveries-endpoint')).toHaveText(receiver.url);
      const delivery = page.getByTestId('delivery-row').filter({ hasText: eventId });
      await expect(delivery.getByTestId('delivery-status')).toHaveText('已送达');
      await expect(delivery.getByTestId('delivery-event')).toContainText('订单已支付');
      await expect(delivery.getByTestId('delivery-tries')).toHaveText('2 次');
      await expect(delivery.getByTestId('delivery-last-code')).toHaveText('200');
      await expect(delivery.getByTestId('delivery-last-duration')).toHaveText(/^\d+ ms$/);
      await expect(delivery.getByTestId('delivery-time')).toHaveText(
        new RegExp(`^送达于 ${CHINA_TIME.source}$`),
      );
      await delivery.getByTestId('delivery-expand').click();
      const attempts = page.getByTestId('delivery-attempt');
      await expect(attempts).toHaveCount(2);
      await expect(attempts.nth(0).getByTestId('attempt-number')).toHaveText('第 1 次');
      await expect(attempts.nth(0).getByTestId('attempt-status-code')).toHaveText('500');
      await expect(attempts.nth(0).getByTestId('attempt-outcome')).toContainText('对方返回错误');
      await expect(attempts.nth(0)).toContainText(CHINA_TIME);
      await expect(attempts.nth(1).getByTestId('attempt-status-code')).toHaveText('200');
      await expect(attempts.nth(1).getByTestId('attempt-outcome')).toHaveText('成功');
      await expect(attempts.nth(1).getByTestId('attempt-duration')).toHaveText(/^\d+ ms$/);
      await expectNoEnglish(page, 'delivery log');

      // The status filter: it is among the delivered, not among the failed.
      await page.getByTestId('delivery-status-filter').selectOption({ label: '投递失败' });
      await expect(delivery).toHaveCount(0);
      await page.getByTestId('delivery-status-filter').selectOption({ label: '已送达' });
      await expect(delivery.getByTestId('delivery-status')).toHaveText('已送达');
      await page.getByTestId('delivery-status-filter').selectOption({ label: '全部状态' });

      // Rotate the secret: the new one is shown once, with until when the old one still signs.
      await page.getByRole('link', { name: '← 消息推送' }).click();
      await expect(page).toHaveURL(/\/webhooks$/);
      await row.getByTestId('webhook-rotate').click();
      await page.getByTestId('webhook-rotate-submit').click();
      const rotated = page.getByRole('dialog', { name: '新的签名密钥' });
      await expect(rotated.getByTestId('webhook-secret-warning')).toContainText('密钥只显示这一次');
      const newSecret = (await rotated.getByTestId('webhook-secret').textContent()) ?? '';
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(secret);
      await expect(rotated.getByTestId('webhook-secret-overlap')).toContainText(CHINA_TIME);
      await expect(rotated.getByTestId('webhook-secret-overlap')).toContainText('旧密钥');
      await rotated.getByTestId('webhook-secret-done').click();
      await expect(row.getByTestId('webhook-secret-hint')).toHaveText(`尾号 ${newSecret.slice(-4)}`);
      await expect(row.getByTestId('webhook-previous-secret')).toContainText(CHINA_TIME);

      // Send it again: a third try, delivered, signed with the new secret and the old one.
      await row.getByTestId('webhook-deliveries-link').click();
      await expect(delivery.getByTestId('delivery-status')).toHaveText('已送达');
      await delivery.getByTestId('delivery-resend').click();
      await expect(page.getByTestId('delivery-notice')).toContainText('已重新发送');
      await expect(delivery.getByTestId('delivery-tries')).toHaveText('3 次', { timeout: 20_000 });
      await expect(delivery.getByTestId('delivery-status')).toHaveText('已送达');
      const third = paidWebhooks(receiver.received, order.orderNo)[2];
      expect(third?.answeredWith).toBe(200);
      expect(signedWith(third!, newSecret)).toBe(true);
      expect(signedWith(third!, secret)).toBe(true);

      // The bell: unread notifications; the centre lists the order's 订单已支付, unread, with its order.
      await expect(page.getByTestId('notification-badge')).toHaveText(/^(\d+|99\+)$/);
      await page.getByTestId('notification-bell').click();
      await expect(page).toHaveURL(/\/notifications$/);
      const item = page.getByTestId('notification-item').filter({ hasText: order.orderNo });
      await expect(item.getByTestId('notification-title')).toHaveText('订单已支付');
      await expect(item.getByTestId('notification-unread')).toHaveText('未读');
      await expectNoEnglish(page, 'notifications');

      // 全部已读 clears the badge and the mark.
      await page.getByTestId('notifications-read-all').click();
      await expect(page.getByTestId('notification-badge')).toHaveCount(0);
      await expect(item.getByTestId('notification-unread')).toHaveCount(0);
      await expect(page.getByTestId('notifications-read-all')).toBeDisabled();
      await item.getByTestId('notification-order').click();
      await expect(page).toHaveURL(new RegExp(`/orders/detail\\?id=${order.id}`));
      await expect(page.getByTestId('order-no')).toHaveText(order.orderNo);

      // Edit, turn off and on, and delete with a confirmation.
      await page.getByTestId('nav-webhooks').click();
      await row.getByTestId('webhook-edit').click();
      const edit = page.getByRole('dialog', { name: '编辑推送地址' });
      await expect(edit.getByLabel('推送地址')).toHaveValue(receiver.url);
      await expect(edit.getByLabel('订单已支付')).toBeChecked();
      await edit.getByLabel('订单已发货').check();
      await edit.getByTestId('webhook-submit').click();
      await expect(edit).toBeHidden();
      await expect(row.getByTestId('webhook-event-titles')).toContainText('订单已支付');
      await expect(row.getByTestId('webhook-event-titles')).toContainText('订单已发货');
      await row.getByTestId('webhook-toggle').click();
      await expect(row.getByTestId('webhook-status')).toHaveText('停用');
      await expect(page.getByTestId('webhook-notice')).toContainText('已停用');
      await row.getByTestId('webhook-toggle').click();
      await expect(row.getByTestId('webhook-status')).toHaveText('启用');
      await row.getByTestId('webhook-delete').click();
      const confirm = page.getByRole('dialog', { name: '删除推送地址' });
      await expect(confirm).toContainText(receiver.url);
      await confirm.getByTestId('webhook-delete-submit').click();
      await expect(page.getByTestId('webhook-notice')).toContainText('已删除');
      await expect(row).toHaveCount(0);
    } finally {
      await receiver.close();
      // A failed run leaves no endpoint behind to receive the other tests' events.
      const left = await ok<WebhookEndpointList>(
        await request.get(`${urls.api}/api/admin/webhooks`, { headers: owner }),
      );
      for (const endpoint of left.items.filter((item) => item.url === receiver.url)) {
        await request.delete(`${urls.api}/api/admin/webhooks/${endpoint.id}`, { headers: owner });
      }
    }
  });

  test('staff have the bell and the notification centre, but no 消息推送', async ({ page }) => {
    const urls = systemUrls();
    await page.goto(`${urls.admin}/login`);
    await signInAdmin(page, STAFF);
    await expect(page.getByTestId('current-role')).toHaveText('店员');
    await expect(page.getByTestId('nav-orders')).toBeVisible();
    await expect(page.getByTestId('nav-webhooks')).toHaveCount(0);
    await page.getByTestId('notification-bell').click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByTestId('notifications-table')).toBeVisible();
    await page.goto(`${urls.admin}/webhooks`);
    await expect(page.getByTestId('forbidden')).toContainText('店员账号不能查看此页面');
  });
});
