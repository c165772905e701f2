import {
  AdminOrderExportQuery,
  AdminOrderListQuery,
  AdminProductListQuery,
  AuditLogQuery,
} from '@shop/contract';
import { describe, expect, it } from 'vitest';

import {
  auditListParams,
  DEFAULT_AUDIT_FILTERS,
  DEFAULT_ORDER_FILTERS,
  DEFAULT_PRODUCT_FILTERS,
  orderFilterParams,
  orderFiltersProblem,
  orderListParams,
  type OrderFilters,
  productListParams,
} from './filters';

const filters = (overrides: Partial<OrderFilters>): OrderFilters => ({
  ...DEFAULT_ORDER_FILTERS,
  ...overrides,
});

describe('order filters to query strings', () => {
  it.each<[Partial<OrderFilters>, number, string]>([
    [{}, 1, 'sort=createdAt&order=desc&page=1&pageSize=20'],
    [{ status: 'PAID' }, 2, 'status=PAID&sort=createdAt&order=desc&page=2&pageSize=20'],
    [
      { from: '2026-11-01', to: '2026-11-21' },
      1,
      'from=2026-11-01&to=2026-11-21&sort=createdAt&order=desc&page=1&pageSize=20',
    ],
    [{ q: '  20261121  ' }, 1, 'q=20261121&sort=createdAt&order=desc&page=1&pageSize=20'],
    [{ q: '   ' }, 1, 'sort=createdAt&order=desc&page=1&pageSize=20'],
    [{ q: '张 三&x=1' }, 1, 'q=%E5%BC%A0+%E4%B8%89%26x%3D1&sort=createdAt&order=desc&page=1&pageSize=20'],
    [{ sort: 'totalFen', order: 'asc' }, 3, 'sort=totalFen&order=asc&page=3&pageSize=20'],
  ])('%j page %i -> %s', (overrides, page, expected) => {
    expect(orderListParams(filters(overrides), page, 20).toString()).toBe(expected);
  });

  it('gives the export the same filters without the page', () => {
    const f = filters({ status: 'REFUNDED', from: '2026-11-01', q: 'abc', sort: 'paidAt', order: 'asc' });
    const list = orderListParams(f, 4, 50);
    const exported = orderFilterParams(f);
    list.delete('page');
    list.delete('pageSize');
    expect(exported.toString()).toBe(list.toString());
  });

  it('produces queries the API accepts (the contract schemas are the oracle)', () => {
    const samples: Partial<OrderFilters>[] = [
      {},
      { status: 'SHIPPED', from: '2026-01-01', to: '2026-01-01', q: '2088000000000001' },
      { sort: 'paidAt', order: 'asc', q: ' 买家 ' },
    ];
    for (const sample of samples) {
      const list = Object.fromEntries(orderListParams(filters(sample), 2, 20));
      expect(AdminOrderListQuery.safeParse(list).success).toBe(true);
      expect(
        AdminOrderExportQuery.safeParse(Object.fromEntries(orderFilterParams(filters(sample)))).success,
      ).toBe(true);
    }
  });

  it('finds problems before sending', () => {
    expect(orderFiltersProblem(filters({}))).toBeNull();
    expect(orderFiltersProblem(filters({ from: '2026-11-02', to: '2026-11-01' }))).toMatch(
      /开始日期不能晚于/,
    );
    expect(orderFiltersProblem(filters({ from: '2026/11/02' }))).toMatch(/格式/);
    expect(orderFiltersProblem(filters({ q: 'x'.repeat(65) }))).toMatch(/64/);
  });
});

describe('product and audit filters to query strings', () => {
  it('leaves out empty filters and passes the API schemas', () => {
    const empty = productListParams(DEFAULT_PRODUCT_FILTERS, 1, 20);
    expect(empty.toString()).toBe('page=1&pageSize=20');
    const full = productListParams({ q: ' 保温杯 ', status: 'PUBLISHED', categoryId: 'cat_1' }, 2, 20);
    expect(full.toString()).toBe(
      'q=%E4%BF%9D%E6%B8%A9%E6%9D%AF&status=PUBLISHED&categoryId=cat_1&page=2&pageSize=20',
    );
    expect(AdminProductListQuery.safeParse(Object.fromEntries(full)).success).toBe(true);

    const audit = auditListParams(
      { ...DEFAULT_AUDIT_FILTERS, action: 'order.refund', from: '2026-11-01' },
      1,
      50,
    );
    expect(audit.toString()).toBe('action=order.refund&from=2026-11-01&page=1&pageSize=50');
    expect(AuditLogQuery.safeParse(Object.fromEntries(audit)).success).toBe(true);
  });
});
