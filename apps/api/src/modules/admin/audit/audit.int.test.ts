import { formatChinaDate } from '@shop/alipay';
import { AuditLogList, type ErrorBody } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory } from '../../../testing/factories';
import { startTestSystem, type TestSystem } from '../../../testing/harness';
import { demoAdmins, type DemoAdmins } from '../test-support';

let sys: TestSystem;
let admins: DemoAdmins;
let productId: string;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
  const category = await createCategory(sys.db);
  const created = await sys.request<{ id: string }>('POST', '/api/admin/products', {
    token: admins.owner.token,
    body: { categoryId: category.id, title: '保温杯', skus: [{ priceFen: 9_900, stock: 5 }] },
  });
  productId = created.body.id;
  await sys.request('POST', `/api/admin/products/${productId}/publish`, {
    token: admins.owner.token,
    body: {},
  });
  await sys.request('POST', '/api/admin/session', {
    body: { username: 'staff', password: 'wrong password' },
  });
  // One old row, to filter by date.
  const signIn = await sys.db.auditLog.findFirstOrThrow({
    where: { action: 'admin.sign-in', adminId: admins.staff.id },
  });
  await sys.db.auditLog.update({
    where: { id: signIn.id },
    data: { createdAt: new Date(Date.now() - 3 * DAY_MS) },
  });
});
afterAll(() => sys.close());

async function logs(query: string) {
  const res = await sys.request<AuditLogList & ErrorBody>('GET', `/api/admin/audit-logs?${query}`, {
    token: admins.owner.token,
  });
  expect(res.status, res.text).toBe(200);
  return AuditLogList.parse(res.body);
}

describe('GET /api/admin/audit-logs', () => {
  it('lists every action newest first, with who, what, before and after as JSON, and the address', async () => {
    const all = await logs('');
    expect(all.items.map((e) => e.action)).toEqual([
      'admin.sign-in-failed',
      'product.publish',
      'product.create',
      'admin.sign-in',
      'admin.sign-in',
    ]);
    expect(all.total).toBe(5);
    const publish = all.items[1]!;
    expect(publish).toMatchObject({
      adminId: admins.owner.id,
      actorName: '店主',
      targetType: 'Product',
      targetId: productId,
      before: { status: 'DRAFT' },
      after: { status: 'PUBLISHED' },
    });
    expect(publish.ip).toMatch(/127\.0\.0\.1/);
    expect(all.items[0]).toMatchObject({ adminId: null, actorName: 'staff', targetId: admins.staff.id });
  });

  it('filters by action, target, admin and China dates, and pages', async () => {
    expect((await logs('action=admin.sign-in')).total).toBe(2);
    expect((await logs(`targetType=Product&targetId=${productId}`)).items.map((e) => e.action)).toEqual([
      'product.publish',
      'product.create',
    ]);
    expect((await logs(`adminId=${admins.staff.id}`)).items.map((e) => e.action)).toEqual(['admin.sign-in']);
    const threeDaysAgo = formatChinaDate(new Date(Date.now() - 3 * DAY_MS));
    const old = await logs(`from=${threeDaysAgo}&to=${threeDaysAgo}`);
    expect(old.items.map((e) => [e.action, e.adminId])).toEqual([['admin.sign-in', admins.staff.id]]);
    expect((await logs(`from=${formatChinaDate(new Date())}`)).total).toBe(4);
    const second = await logs('pageSize=2&page=2');
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(second.items.map((e) => e.action)).toEqual(['product.create', 'admin.sign-in']);
  });

  it('refuses bad filters with 400 and staff with 403', async () => {
    for (const query of [
      'action=DROP%20TABLE',
      'targetType=a.b',
      'from=2026-02-30',
      'to=x',
      'page=0',
      'who=me',
    ]) {
      const res = await sys.request<ErrorBody>('GET', `/api/admin/audit-logs?${query}`, {
        token: admins.owner.token,
      });
      expect(res.status, query).toBe(400);
    }
    const staff = await sys.request<ErrorBody>('GET', '/api/admin/audit-logs', { token: admins.staff.token });
    expect(staff.status).toBe(403);
  });
});
