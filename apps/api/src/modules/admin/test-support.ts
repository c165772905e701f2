import type { AdminSessionResponse } from '@shop/contract';
import type { AdminRole } from '@shop/db';
import { DEMO_ADMINS } from '@shop/dev-identity';
import { expect } from 'vitest';
import { hashPassword } from '../../lib/password';
import type { TestSystem } from '../../testing/harness';

/** Helpers for the admin integration tests: accounts written with real scrypt hashes, signed in over HTTP. */

export interface TestAdmin {
  id: string;
  username: string;
  password: string;
  role: AdminRole;
  displayName: string;
}

export async function createAdmin(
  sys: TestSystem,
  overrides: Partial<Omit<TestAdmin, 'id'>> & { active?: boolean } = {},
): Promise<TestAdmin> {
  const username = overrides.username ?? `clerk${Math.floor(Math.random() * 1e9)}`;
  const password = overrides.password ?? `${username}-password-2026`;
  const role = overrides.role ?? 'staff';
  const displayName = overrides.displayName ?? (role === 'owner' ? '店主' : '店员');
  const row = await sys.db.admin.create({
    data: {
      username,
      passwordHash: await hashPassword(password),
      role,
      displayName,
      active: overrides.active ?? true,
    },
  });
  return { id: row.id, username, password, role, displayName };
}

/** Signs in over HTTP and returns the token. */
export async function signInAdmin(sys: TestSystem, admin: Pick<TestAdmin, 'username' | 'password'>) {
  const res = await sys.request<AdminSessionResponse>('POST', '/api/admin/session', {
    body: { username: admin.username, password: admin.password },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.token;
}

export interface DemoAdmins {
  owner: TestAdmin & { token: string };
  staff: TestAdmin & { token: string };
}

/** The development accounts (owner / owner-demo-2026, staff / staff-demo-2026), created and signed in. */
export async function demoAdmins(sys: TestSystem): Promise<DemoAdmins> {
  const [ownerSpec, staffSpec] = [
    DEMO_ADMINS.find((a) => a.role === 'owner')!,
    DEMO_ADMINS.find((a) => a.role === 'staff')!,
  ];
  const owner = await createAdmin(sys, { ...ownerSpec });
  const staff = await createAdmin(sys, { ...staffSpec });
  return {
    owner: { ...owner, token: await signInAdmin(sys, owner) },
    staff: { ...staff, token: await signInAdmin(sys, staff) },
  };
}
