import { AdminAccount, AdminAccountList, type ErrorBody } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../testing/harness';
import { demoAdmins, signInAdmin, type DemoAdmins } from '../test-support';

let sys: TestSystem;
let admins: DemoAdmins;

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
});
afterAll(() => sys.close());

const owner = () => ({ token: admins.owner.token });

describe('staff accounts', () => {
  it('lists every account, owners first', async () => {
    const res = await sys.request<AdminAccountList>('GET', '/api/admin/staff', owner());
    expect(res.status).toBe(200);
    const { items } = AdminAccountList.parse(res.body);
    expect(items.map((a) => [a.username, a.role, a.active])).toEqual([
      ['owner', 'owner', true],
      ['staff', 'staff', true],
    ]);
    expect(items[0]!.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(res.body)).not.toContain('scrypt');
  });

  it('creates a staff account that can sign in with its password; the hash is scrypt, the audit has no password', async () => {
    const res = await sys.request<AdminAccount>('POST', '/api/admin/staff', {
      ...owner(),
      body: { username: ' Li.Clerk ', displayName: '李店员', password: 'correct horse battery' },
    });
    expect(res.status, res.text).toBe(201);
    const account = AdminAccount.parse(res.body);
    expect(account).toMatchObject({ username: 'li.clerk', role: 'staff', active: true, lastLoginAt: null });
    const row = await sys.db.admin.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    await signInAdmin(sys, { username: 'li.clerk', password: 'correct horse battery' });
    const audit = await sys.db.auditLog.findFirstOrThrow({
      where: { action: 'staff.create', targetId: account.id },
    });
    expect(audit.adminId).toBe(admins.owner.id);
    expect(`${audit.afterJson}`).not.toContain('correct horse');

    const taken = await sys.request<ErrorBody>('POST', '/api/admin/staff', {
      ...owner(),
      body: { username: 'LI.CLERK', displayName: '另一个', password: 'another password' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('CONFLICT');
  });

  it('refuses bad accounts with 400', async () => {
    for (const body of [
      { username: 'ab', displayName: '短', password: 'long enough password' },
      { username: 'has space', displayName: '空格', password: 'long enough password' },
      { username: 'shorty', displayName: '短密码', password: 'short' },
      { username: 'longpw', displayName: '长密码', password: 'x'.repeat(129) },
      { username: 'noname', displayName: '', password: 'long enough password' },
      { username: 'owner2', displayName: '店主', password: 'long enough password', role: 'owner' },
    ]) {
      const res = await sys.request('POST', '/api/admin/staff', { ...owner(), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('deactivating a staff account ends its sessions at once and stops sign-in; owners cannot be deactivated', async () => {
    const created = await sys.request<AdminAccount>('POST', '/api/admin/staff', {
      ...owner(),
      body: { username: 'temp.clerk', displayName: '临时工', password: 'temporary password' },
    });
    const credentials = { username: 'temp.clerk', password: 'temporary password' };
    const tokens = [await signInAdmin(sys, credentials), await signInAdmin(sys, credentials)];
    for (const token of tokens)
      expect((await sys.request('GET', '/api/admin/orders', { token })).status).toBe(200);

    const res = await sys.request<AdminAccount>('POST', `/api/admin/staff/${created.body.id}/deactivate`, {
      ...owner(),
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    for (const token of tokens)
      expect((await sys.request('GET', '/api/admin/orders', { token })).status).toBe(401);
    const signIn = await sys.request<ErrorBody>('POST', '/api/admin/session', { body: credentials });
    expect(signIn.status).toBe(401);
    expect(signIn.body.error.code).toBe('INVALID_CREDENTIALS');
    const audit = await sys.db.auditLog.findFirstOrThrow({
      where: { action: 'staff.deactivate', targetId: created.body.id },
    });
    expect(JSON.parse(audit.afterJson!)).toMatchObject({ active: false, sessionsRevoked: 2 });

    const again = await sys.request('POST', `/api/admin/staff/${created.body.id}/deactivate`, {
      ...owner(),
      body: {},
    });
    expect(again.status).toBe(200);
    expect(await sys.db.auditLog.count({ where: { action: 'staff.deactivate' } })).toBe(1);

    const ownerOut = await sys.request<ErrorBody>('POST', `/api/admin/staff/${admins.owner.id}/deactivate`, {
      ...owner(),
      body: {},
    });
    expect(ownerOut.status).toBe(409);
    const unknown = await sys.request('POST', '/api/admin/staff/nobody-here/deactivate', {
      ...owner(),
      body: {},
    });
    expect(unknown.status).toBe(404);
  });
});
