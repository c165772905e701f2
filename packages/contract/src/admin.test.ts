import { describe, expect, it } from 'vitest';
import {
  ADMIN_PERMISSIONS,
  AdminOrderListQuery,
  AdminProductUpdateBody,
  AdminSignInBody,
  AdminStaffCreateBody,
  AdminStockAdjustmentBody,
  AuditLogQuery,
  roleCan,
  rolesWith,
} from './admin';

describe('admin roles', () => {
  it('gives owners every permission and staff no refunds, staff management, product writes or audit', () => {
    for (const permission of ADMIN_PERMISSIONS) expect(roleCan('owner', permission)).toBe(true);
    for (const permission of [
      'orders.refund',
      'orders.read-phone',
      'products.write',
      'staff.manage',
      'audit.read',
      'reconciliation.run',
      'settings.read',
    ] as const) {
      expect(roleCan('staff', permission)).toBe(false);
      expect(rolesWith(permission)).toEqual(['owner']);
    }
    expect(rolesWith('orders.ship')).toEqual(['owner', 'staff']);
  });
});

describe('admin schemas', () => {
  it('reads list queries from strings with defaults and refuses unknown keys and reversed ranges', () => {
    expect(AdminOrderListQuery.parse({ page: '2', q: ' 2026 ' })).toEqual({
      page: 2,
      pageSize: 20,
      q: '2026',
      sort: 'createdAt',
      order: 'desc',
    });
    expect(AdminOrderListQuery.safeParse({ limit: '5' }).success).toBe(false);
    expect(AdminOrderListQuery.safeParse({ from: '2026-05-02', to: '2026-05-01' }).success).toBe(false);
    expect(AdminOrderListQuery.safeParse({ from: '2026-05-01', to: '2026-05-01' }).success).toBe(true);
    expect(AdminOrderListQuery.safeParse({ pageSize: '101' }).success).toBe(false);
    expect(AuditLogQuery.safeParse({ action: 'DROP TABLE' }).success).toBe(false);
  });

  it('normalises usernames and bounds passwords', () => {
    expect(AdminSignInBody.parse({ username: ' Owner ', password: 'x' }).username).toBe('owner');
    expect(AdminSignInBody.safeParse({ username: 'owner', password: '' }).success).toBe(false);
    expect(
      AdminStaffCreateBody.safeParse({ username: 'ab', displayName: '店员', password: 'long-enough-1' })
        .success,
    ).toBe(false);
    expect(
      AdminStaffCreateBody.safeParse({ username: 'clerk', displayName: '店员', password: 'short' }).success,
    ).toBe(false);
  });

  it('refuses an empty edit and a zero stock adjustment', () => {
    expect(AdminProductUpdateBody.safeParse({}).success).toBe(false);
    expect(AdminProductUpdateBody.safeParse({ featured: false }).success).toBe(true);
    expect(AdminStockAdjustmentBody.safeParse({ deltaQty: 0, reason: '盘点' }).success).toBe(false);
    expect(AdminStockAdjustmentBody.safeParse({ deltaQty: -3, reason: '盘点' }).success).toBe(true);
  });
});
