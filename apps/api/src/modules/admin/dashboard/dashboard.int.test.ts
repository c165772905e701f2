import { encodeForm, formatChinaDate } from '@shop/alipay';
import { DASHBOARD_DAYS, DashboardResponse, type RefundView } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../testing/harness';
import {
  addFault,
  openTrade,
  paidNotifyFields,
  postNotify,
  signUpShopper,
  type Shopper,
} from '../../payment/test-support';
import { paidAfterClose, paidOrder } from '../../reconciliation/test-support';
import { demoAdmins, type DemoAdmins } from '../test-support';

/**
 * The dashboard against real money movements: payments and refunds through the sandbox, a forged notify, a payment
 * left open past its order's expiry, a paid-after-close automatic refund, and a refund whose answer was lost.
 */

let sys: TestSystem;
let admins: DemoAdmins;
let shopper: Shopper;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  // Real time at the sandbox: a scaled clock would close the deliberately stuck trade within a second (its expiry
  // scaled down), and a closed trade is no longer stuck.
  sys = await startTestSystem({ sandboxTimeScale: 1 });
  admins = await demoAdmins(sys);
  shopper = await signUpShopper(sys);
});
afterAll(() => sys.close());

async function dashboard(token = admins.staff.token): Promise<DashboardResponse> {
  const res = await sys.request<DashboardResponse>('GET', '/api/admin/dashboard', { token });
  expect(res.status, res.text).toBe(200);
  return DashboardResponse.parse(res.body);
}

async function refund(orderId: string, amountFen: number): Promise<RefundView> {
  const res = await sys.request<RefundView>('POST', `/api/admin/orders/${orderId}/refunds`, {
    token: admins.owner.token,
    body: { amountFen, reason: '测试退款' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('GET /api/admin/dashboard', () => {
  it('starts with 30 empty China days ending today and nothing to look at', async () => {
    const board = await dashboard();
    expect(board.days).toHaveLength(DASHBOARD_DAYS);
    expect(board.days.at(-1)!.date).toBe(formatChinaDate(new Date()));
    expect(board.days[0]!.date).toBe(formatChinaDate(new Date(Date.now() - 29 * DAY_MS)));
    expect(new Set(board.days.map((d) => d.date)).size).toBe(DASHBOARD_DAYS);
    expect(board.days.every((d) => d.paidOrders === 0 && d.salesFen === 0 && d.refundsFen === 0)).toBe(true);
    expect(board.today).toEqual(board.days.at(-1));
    for (const list of Object.values(board.attention)) expect(list).toEqual({ count: 0, items: [] });
  });

  it('sums payments and confirmed refunds per China day', async () => {
    const first = await paidOrder(sys, shopper, 5_000);
    await paidOrder(sys, shopper, 1_230);
    await refund(first.order.id, 1_000);
    // One payment two days back, one too old to show.
    const older = await paidOrder(sys, shopper, 700);
    await sys.db.payment.update({
      where: { orderId: older.order.id },
      data: { paidAt: new Date(Date.now() - 2 * DAY_MS) },
    });
    const ancient = await paidOrder(sys, shopper, 900);
    await sys.db.payment.update({
      where: { orderId: ancient.order.id },
      data: { paidAt: new Date(Date.now() - 40 * DAY_MS) },
    });

    const board = await dashboard();
    expect(board.today).toMatchObject({ paidOrders: 2, salesFen: 6_230, refundsFen: 1_000 });
    const twoDaysAgo = formatChinaDate(new Date(Date.now() - 2 * DAY_MS));
    expect(board.days.find((d) => d.date === twoDaysAgo)).toEqual({
      date: twoDaysAgo,
      paidOrders: 1,
      salesFen: 700,
      refundsFen: 0,
    });
    expect(board.days.reduce((sum, d) => sum + d.salesFen, 0)).toBe(6_930);
  });

  it('lists what needs attention, with counts and order links', async () => {
    // A forged notify naming a real order.
    const { order: named } = await paidOrder(sys, shopper, 300);
    const forged = encodeForm({
      ...paidNotifyFields(named, '2026000000000000000000000001', '3.00'),
      sign_type: 'RSA2',
      sign: Buffer.from('not a signature').toString('base64'),
    });
    expect((await postNotify(sys, forged)).status).toBe(400);

    // A payment still open well after its order expired (the expiry job should have closed it).
    const stuck = await openTrade(sys, shopper, { priceFen: 450 });
    await sys.db.order.update({
      where: { id: stuck.order.id },
      data: { expiresAt: new Date(Date.now() - 10 * 60_000) },
    });
    // A fresh open payment is not stuck.
    await openTrade(sys, shopper, { priceFen: 460 });

    // A payment that reached a closed order, returned automatically.
    const late = await paidAfterClose(sys, shopper, 800);

    // A refund whose answer was lost (20000): waiting for the recovery job.
    const { order: waiting } = await paidOrder(sys, shopper, 2_000);
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.refund'] });
    expect((await refund(waiting.id, 500)).status).toBe('UNKNOWN');

    const board = await dashboard();
    expect(board.attention.notifies.count).toBe(1);
    expect(board.attention.notifies.items[0]).toMatchObject({
      orderId: named.id,
      orderNo: named.orderNo,
      verified: false,
      rejectReason: 'bad-signature',
      outcome: 'REJECTED',
    });
    expect(board.attention.stuckPayments.count).toBe(1);
    expect(board.attention.stuckPayments.items[0]).toMatchObject({
      orderId: stuck.order.id,
      orderNo: stuck.order.orderNo,
      status: 'OPEN',
      amountFen: 450,
    });
    expect(board.attention.autoRefunds.count).toBe(1);
    expect(board.attention.autoRefunds.items[0]).toMatchObject({
      orderId: late.order.id,
      kind: 'AUTO_PAID_AFTER_CLOSE',
      status: 'SUCCEEDED',
      amountFen: 800,
    });
    expect(board.attention.openRefunds.count).toBe(1);
    expect(board.attention.openRefunds.items[0]).toMatchObject({
      orderId: waiting.id,
      kind: 'MERCHANT',
      status: 'UNKNOWN',
      amountFen: 500,
    });
    // The money that came back automatically is a refund of the day.
    expect(board.today.refundsFen).toBe(1_000 + 800);
  });

  it('takes no query parameters', async () => {
    const res = await sys.request('GET', '/api/admin/dashboard?days=7', { token: admins.owner.token });
    expect(res.status).toBe(400);
  });
});
