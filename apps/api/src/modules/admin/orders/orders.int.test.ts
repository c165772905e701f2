import { formatChinaDate } from '@shop/alipay';
import {
  AdminOrderDetail,
  AdminOrderList,
  ORDER_EXPORT_COLUMNS,
  RefundView,
  type AuditLogList,
  type ErrorBody,
  type OrderView,
} from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../testing/harness';
import { placeOrder, sandboxLedger, seedSku, signUpShopper, type Shopper } from '../../payment/test-support';
import { paidOrder } from '../../reconciliation/test-support';
import { demoAdmins, type DemoAdmins } from '../test-support';

/**
 * The admin's orders over HTTP against the real sandbox: orders are placed and paid the way shoppers do it, then
 * listed, filtered, sorted, exported, read, refunded, shipped and completed by the demo owner and staff.
 */

let sys: TestSystem;
let admins: DemoAdmins;
let alice: Shopper;
let bob: Shopper;
/** a1 alice paid ¥50.00, b1 bob paid ¥12.30, a2 alice pending ¥9.90 (three days old), b2 bob paid ¥300.00 */
let orders: { a1: OrderView; b1: OrderView; a2: OrderView; b2: OrderView };
let tradeNos: Record<string, string>;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
  alice = await signUpShopper(sys, DEV_BUYERS[0]!.userId);
  bob = await signUpShopper(sys, DEV_BUYERS[1]!.userId);
  // A nickname with a LIKE wildcard and a spreadsheet formula sign: neither may act as anything but text.
  await sys.db.user.update({ where: { id: bob.userId }, data: { nickname: '=小_明' } });
  const a1 = await paidOrder(sys, alice, 5_000);
  const b1 = await paidOrder(sys, bob, 1_230);
  const pending = await seedSku(sys, { priceFen: 990 });
  const a2 = await placeOrder(sys, alice, pending.skuId);
  await sys.db.order.update({
    where: { id: a2.id },
    data: { createdAt: new Date(Date.now() - 3 * DAY_MS) },
  });
  const b2 = await paidOrder(sys, bob, 30_000);
  orders = { a1: a1.order, b1: b1.order, a2, b2: b2.order };
  tradeNos = { a1: a1.tradeNo, b1: b1.tradeNo, b2: b2.tradeNo };
});
afterAll(() => sys.close());

const asOwner = () => ({ token: admins.owner.token });
const asStaff = () => ({ token: admins.staff.token });

async function list(query: string, auth = asOwner()) {
  const res = await sys.request<AdminOrderList & ErrorBody>('GET', `/api/admin/orders?${query}`, auth);
  expect(res.status, res.text).toBe(200);
  return AdminOrderList.parse(res.body);
}

const nos = (page: AdminOrderList) => page.items.map((item) => item.orderNo);

async function detail(id: string, auth = asOwner()) {
  const res = await sys.request<AdminOrderDetail>('GET', `/api/admin/orders/${id}`, auth);
  expect(res.status, res.text).toBe(200);
  return AdminOrderDetail.parse(res.body);
}

describe('GET /api/admin/orders', () => {
  it('lists every order newest first with buyer, trade number and totals', async () => {
    const page = await list('');
    expect(page.total).toBe(4);
    expect(nos(page)).toEqual([orders.b2, orders.b1, orders.a1, orders.a2].map((o) => o.orderNo));
    const b1 = page.items.find((item) => item.id === orders.b1.id)!;
    expect(b1).toMatchObject({
      status: 'PAID',
      paymentStatus: 'PAID',
      tradeNo: tradeNos.b1,
      totalFen: 1_230,
      itemCount: 1,
      buyer: { userId: bob.userId, alipayUserId: DEV_BUYERS[1]!.userId, nickname: '=小_明' },
    });
    expect(page.items.find((item) => item.id === orders.a2.id)).toMatchObject({
      status: 'PENDING_PAYMENT',
      tradeNo: null,
      paymentStatus: null,
      paidAt: null,
    });
  });

  it('filters by status and by China dates, both ends inclusive', async () => {
    expect(nos(await list('status=PAID'))).toEqual([orders.b2, orders.b1, orders.a1].map((o) => o.orderNo));
    expect((await list('status=SHIPPED')).total).toBe(0);
    const threeDaysAgo = formatChinaDate(new Date(Date.now() - 3 * DAY_MS));
    const today = formatChinaDate(new Date());
    expect(nos(await list(`from=${threeDaysAgo}&to=${threeDaysAgo}`))).toEqual([orders.a2.orderNo]);
    expect((await list(`from=${today}`)).total).toBe(3);
    expect((await list(`from=${threeDaysAgo}&to=${today}`)).total).toBe(4);
  });

  it('finds by order number, trade number, buyer id and nickname, with no wildcards', async () => {
    expect(nos(await list(`q=${orders.a1.orderNo}`))).toEqual([orders.a1.orderNo]);
    expect(nos(await list(`q=${tradeNos.b1}`))).toEqual([orders.b1.orderNo]);
    expect(nos(await list(`q=${DEV_BUYERS[0]!.userId}`))).toEqual([orders.a1.orderNo, orders.a2.orderNo]);
    // `_` is a LIKE wildcard; here it only matches the nickname that contains it.
    expect(nos(await list(`q=${encodeURIComponent('小_')}`))).toEqual([orders.b2.orderNo, orders.b1.orderNo]);
    expect((await list(`q=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await list('q=no-such-order')).total).toBe(0);
  });

  it('sorts by amount and by payment time (unpaid last both ways) and pages', async () => {
    expect(nos(await list('sort=totalFen&order=asc'))).toEqual(
      [orders.a2, orders.b1, orders.a1, orders.b2].map((o) => o.orderNo),
    );
    expect(nos(await list('sort=totalFen&order=desc'))).toEqual(
      [orders.b2, orders.a1, orders.b1, orders.a2].map((o) => o.orderNo),
    );
    expect(nos(await list('sort=paidAt&order=asc'))).toEqual(
      [orders.a1, orders.b1, orders.b2, orders.a2].map((o) => o.orderNo),
    );
    expect(nos(await list('sort=paidAt&order=desc'))).toEqual(
      [orders.b2, orders.b1, orders.a1, orders.a2].map((o) => o.orderNo),
    );
    const second = await list('sort=totalFen&order=asc&page=2&pageSize=3');
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(nos(second)).toEqual([orders.b2.orderNo]);
    expect((await list('page=9')).items).toEqual([]);
  });

  it('refuses bad filters with 400 VALIDATION_ERROR', async () => {
    for (const query of [
      'status=LOST',
      'from=2026-05-02&to=2026-05-01',
      'from=2026-02-30',
      'from=yesterday',
      'sort=subject',
      'order=up',
      'page=0',
      'pageSize=101',
      'limit=5',
      'status=PAID&status=SHIPPED',
      `q=${'x'.repeat(65)}`,
    ]) {
      const res = await sys.request<ErrorBody>('GET', `/api/admin/orders?${query}`, asOwner());
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('VALIDATION_ERROR');
    }
  });
});

describe('GET /api/admin/orders.csv', () => {
  async function csv(query: string) {
    const res = await fetch(`${sys.apiUrl}/api/admin/orders.csv?${query}`, {
      headers: { authorization: `Bearer ${admins.staff.token}` },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const rows = parse<Record<string, string>>(bytes.toString('utf8'), { bom: true, columns: true });
    return { res, bytes, rows };
  }

  it('exports exactly the filtered orders in the list order, amounts in yuan, UTF-8 with a BOM', async () => {
    const { res, bytes, rows } = await csv('status=PAID&sort=totalFen&order=asc');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="orders-\d{14}\.csv"$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(Object.keys(rows[0]!)).toEqual([...ORDER_EXPORT_COLUMNS]);
    expect(rows.map((r) => [r.order_no, r.total_yuan, r.refunded_yuan, r.status])).toEqual([
      [orders.b1.orderNo, '12.30', '0.00', 'PAID'],
      [orders.a1.orderNo, '50.00', '0.00', 'PAID'],
      [orders.b2.orderNo, '300.00', '0.00', 'PAID'],
    ]);
    const b1 = rows[0]!;
    expect(b1.trade_no).toBe(tradeNos.b1);
    expect(b1.buyer_user_id).toBe(DEV_BUYERS[1]!.userId);
    // A cell starting like a formula is kept as text.
    expect(b1.buyer_nickname).toBe("'=小_明");
    expect(b1.ship_name).toBe('张三');
    expect(b1.items).toMatch(/^测试商品 .+ x1$/);
    expect(b1.paid_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // The shipping phone is not exported.
    expect(bytes.toString('utf8')).not.toContain('13800138000');
  });

  it('applies the keyword and date filters like the list, and names the range in the file name', async () => {
    const { rows } = await csv(`q=${DEV_BUYERS[0]!.userId}`);
    expect(rows.map((r) => [r.order_no, r.total_yuan])).toEqual([
      [orders.a1.orderNo, '50.00'],
      [orders.a2.orderNo, '9.90'],
    ]);
    const threeDaysAgo = formatChinaDate(new Date(Date.now() - 3 * DAY_MS));
    const ranged = await csv(`from=${threeDaysAgo}&to=${threeDaysAgo}`);
    expect(ranged.rows.map((r) => r.order_no)).toEqual([orders.a2.orderNo]);
    expect(ranged.res.headers.get('content-disposition')).toContain(
      `orders-${threeDaysAgo}_${threeDaysAgo}-`,
    );
    expect((await csv('status=REFUNDED')).rows).toEqual([]);
  });

  it('refuses paging parameters and bad filters', async () => {
    for (const query of ['page=1', 'status=nope', 'from=2026-13-01']) {
      const res = await sys.request<ErrorBody>('GET', `/api/admin/orders.csv?${query}`, asOwner());
      expect(res.status, query).toBe(400);
    }
  });
});

describe('GET /api/admin/orders/:id', () => {
  it('shows items, amounts, buyer, address, events and the whole payment timeline', async () => {
    const order = await detail(orders.a1.id);
    expect(order).toMatchObject({
      orderNo: orders.a1.orderNo,
      status: 'PAID',
      itemsFen: 5_000,
      totalFen: 5_000,
      refundableFen: 5_000,
      buyer: { userId: alice.userId, alipayUserId: DEV_BUYERS[0]!.userId },
      address: { name: '张三', phone: '13800138000', phoneMasked: false, city: '杭州市' },
      actions: { refund: true, ship: true, complete: false },
    });
    expect(order.items).toEqual([expect.objectContaining({ unitPriceFen: 5_000, quantity: 1 })]);
    expect(order.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['CREATED', 'PAYMENT_STARTED', 'PAID']),
    );
    expect(order.payment.payment).toMatchObject({ status: 'PAID', tradeNo: tradeNos.a1, paidVia: 'notify' });
    expect(order.payment.notifies[0]).toMatchObject({
      verified: true,
      outcome: 'APPLIED',
      rejectReason: null,
    });
    expect(order.payment.notifies[0]!.fields.out_trade_no).toBe(orders.a1.orderNo);
    const attempts = order.payment.gatewayCalls.filter((call) => call.purpose === 'create');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ method: 'alipay.trade.create', outcome: 'success' });
  });

  it('masks the phone for staff and shows what staff may do', async () => {
    const order = await detail(orders.a1.id, asStaff());
    expect(order.address).toMatchObject({ phone: '138****8000', phoneMasked: true });
    expect(order.address.detail).toContain('文三路');
    expect(order.actions).toEqual({ refund: false, ship: true, complete: false, collect: false });
  });

  it('is 404 for an unknown order and 400 for a malformed id', async () => {
    const missing = await sys.request<ErrorBody>('GET', '/api/admin/orders/nope123', asOwner());
    expect(missing.status).toBe(404);
    const bad = await sys.request<ErrorBody>('GET', '/api/admin/orders/%20bad%20id', asOwner());
    expect(bad.status).toBe(400);
  });
});

describe('POST /api/admin/orders/:id/refunds', () => {
  it('staff get 403 and nothing reaches the sandbox', async () => {
    const { order } = await paidOrder(sys, alice, 2_000);
    const res = await sys.request<ErrorBody>('POST', `/api/admin/orders/${order.id}/refunds`, {
      ...asStaff(),
      body: { amountFen: 500, reason: '质量问题' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(0);
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("an owner's partial refund reaches the sandbox once, even clicked twice, and shows in the detail and the audit log", async () => {
    const { order } = await paidOrder(sys, alice, 8_800);
    const click = () =>
      sys.request<RefundView>('POST', `/api/admin/orders/${order.id}/refunds`, {
        ...asOwner(),
        headers: { 'idempotency-key': 'refund-click-0001' },
        body: { amountFen: 1_200, reason: '少发一件' },
      });
    const first = await click();
    expect(first.status, first.text).toBe(201);
    const refund = RefundView.parse(first.body);
    expect(refund).toMatchObject({
      amountFen: 1_200,
      status: 'SUCCEEDED',
      kind: 'MERCHANT',
      reason: '少发一件',
    });
    const again = await click();
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(refund.id);

    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.items.filter((item) => item.kind === 'refund')).toEqual([
      expect.objectContaining({ amountFen: 1_200, outRequestNo: refund.outRequestNo }),
    ]);
    expect(ledger.totals).toEqual({ paidFen: 8_800, refundedFen: 1_200 });
    const refundCalls = await sys.db.gatewayCall.count({ where: { orderId: order.id, purpose: 'refund' } });
    expect(refundCalls).toBe(1);

    const shown = await detail(order.id);
    expect(shown).toMatchObject({ status: 'PAID', refundedFen: 1_200, refundableFen: 7_600 });
    expect(shown.payment.refunds).toEqual([expect.objectContaining({ id: refund.id, status: 'SUCCEEDED' })]);
    expect(shown.events.find((e) => e.type === 'REFUND_REQUESTED')).toMatchObject({
      actorType: 'admin',
      actorId: admins.owner.id,
      actorName: '店主',
    });
    expect(shown.audit).toEqual([
      expect.objectContaining({
        action: 'order.refund',
        adminId: admins.owner.id,
        before: { status: 'PAID', refundedFen: 0, refundPendingFen: 0 },
        after: expect.objectContaining({
          refundId: refund.id,
          amountFen: 1_200,
          refundedFen: 1_200,
        }) as unknown,
      }),
    ]);
    const log = await sys.request<AuditLogList>(
      'GET',
      `/api/admin/audit-logs?action=order.refund&targetType=Order&targetId=${order.id}`,
      asOwner(),
    );
    expect(log.status).toBe(200);
    expect(log.body.total).toBe(1);
    expect(log.body.items[0]).toMatchObject({ actorName: '店主', targetId: order.id });
  });

  it('refuses more than is left, a reused key with another amount, and an unpaid order; refunds the rest', async () => {
    const { order } = await paidOrder(sys, bob, 3_000);
    const refund = (body: unknown, headers: Record<string, string> = {}) =>
      sys.request<RefundView & ErrorBody>('POST', `/api/admin/orders/${order.id}/refunds`, {
        ...asOwner(),
        headers,
        body,
      });
    expect(
      (await refund({ amountFen: 1_000, reason: '部分退款' }, { 'idempotency-key': 'key-aaaaaaaa' })).status,
    ).toBe(201);
    const reused = await refund(
      { amountFen: 900, reason: '部分退款' },
      { 'idempotency-key': 'key-aaaaaaaa' },
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const over = await refund({ amountFen: 2_001, reason: '太多' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_PAID', details: { refundableFen: 2_000 } });
    const rest = await refund({ amountFen: 2_000, reason: '全部退款' });
    expect(rest.status).toBe(201);
    expect((await detail(order.id)).status).toBe('REFUNDED');
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(3_000);

    const unpaid = await sys.request<ErrorBody>('POST', `/api/admin/orders/${orders.a2.id}/refunds`, {
      ...asOwner(),
      body: { amountFen: 100, reason: '未付款' },
    });
    expect(unpaid.status).toBe(409);
    expect(unpaid.body.error.code).toBe('ORDER_STATE_CONFLICT');
    for (const [body, headers] of [
      [{ amountFen: 0, reason: 'x' }, {}],
      [{ amountFen: 1.5, reason: 'x' }, {}],
      [{ amountFen: 100 }, {}],
      [{ amountFen: 100, reason: '   ' }, {}],
      [{ amountFen: 100, reason: 'x', orderId: 'other' }, {}],
      [{ amountFen: 100, reason: 'x' }, { 'idempotency-key': 'bad key!' }],
    ] as const) {
      const res = await refund(body, headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const missing = await sys.request('POST', '/api/admin/orders/missing1/refunds', {
      ...asOwner(),
      body: { amountFen: 100, reason: 'x' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('ship and complete', () => {
  it('staff ship a paid order once, complete it once; the shopper sees it; each step is audited', async () => {
    const { order } = await paidOrder(sys, alice, 4_200);
    const ship = (body: unknown) =>
      sys.request<AdminOrderDetail & ErrorBody>('POST', `/api/admin/orders/${order.id}/ship`, {
        ...asStaff(),
        body,
      });
    const shipped = await ship({ carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    expect(shipped.status, shipped.text).toBe(200);
    expect(shipped.body).toMatchObject({
      status: 'SHIPPED',
      carrier: '顺丰速运',
      trackingNo: 'SF1234567890',
      actions: { ship: false, complete: true },
    });
    expect(shipped.body.shippedAt).not.toBeNull();
    expect((await ship({ carrier: '顺丰速运', trackingNo: 'SF1234567890' })).status).toBe(200);
    const other = await ship({ carrier: '中通快递', trackingNo: 'ZT000111' });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'ORDER_STATE_CONFLICT', details: { status: 'SHIPPED' } });

    const mine = await sys.request<OrderView>('GET', `/api/orders/${order.id}`, { token: alice.token });
    expect(mine.body).toMatchObject({ status: 'SHIPPED', carrier: '顺丰速运', trackingNo: 'SF1234567890' });

    const complete = () =>
      sys.request<AdminOrderDetail>('POST', `/api/admin/orders/${order.id}/complete`, {
        ...asStaff(),
        body: {},
      });
    const completed = await complete();
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('COMPLETED');
    expect((await complete()).status).toBe(200);

    const events = await sys.db.orderEvent.findMany({
      where: { orderId: order.id, actorType: 'admin' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ['SHIPPED', 'PAID', 'SHIPPED', admins.staff.id],
      ['COMPLETED', 'SHIPPED', 'COMPLETED', admins.staff.id],
    ]);
    const audit = await sys.db.auditLog.findMany({
      where: { targetId: order.id },
      // Ids break a tie of two rows written in the same millisecond (cuid ids sort by creation).
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(audit.map((row) => [row.action, row.adminId])).toEqual([
      ['order.ship', admins.staff.id],
      ['order.complete', admins.staff.id],
    ]);
    expect(JSON.parse(audit[0]!.afterJson!)).toEqual({
      status: 'SHIPPED',
      carrier: '顺丰速运',
      trackingNo: 'SF1234567890',
    });
  });

  it('refuses to ship an unpaid order or complete an unshipped one, and bad shipments', async () => {
    const ship = await sys.request<ErrorBody>('POST', `/api/admin/orders/${orders.a2.id}/ship`, {
      ...asOwner(),
      body: { carrier: '顺丰速运', trackingNo: 'SF1' + '0'.repeat(8) },
    });
    expect(ship.status).toBe(409);
    expect(ship.body.error.code).toBe('ORDER_STATE_CONFLICT');
    const complete = await sys.request<ErrorBody>('POST', `/api/admin/orders/${orders.b1.id}/complete`, {
      ...asOwner(),
      body: {},
    });
    expect(complete.status).toBe(409);
    for (const body of [
      {},
      { carrier: '', trackingNo: 'SF12345' },
      { carrier: '顺丰', trackingNo: 'SF 123 45' },
      { carrier: '顺丰', trackingNo: 'x' },
      { carrier: '顺丰\u0000', trackingNo: 'SF12345' },
      { carrier: '顺丰', trackingNo: 'SF12345', shippedAt: 'now' },
    ]) {
      const res = await sys.request('POST', `/api/admin/orders/${orders.b1.id}/ship`, { ...asOwner(), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await detail(orders.b1.id)).status).toBe('PAID');
    const extra = await sys.request('POST', `/api/admin/orders/${orders.b1.id}/complete`, {
      ...asOwner(),
      body: { force: true },
    });
    expect(extra.status).toBe(400);
  });
});
