import {
  type AdminOrderSort,
  type AdminProductListQuery,
  type OrderStatus,
  type ProductStatus,
  type SortDirection,
} from '@shop/contract';

/**
 * Table filters as the pages hold them (strings straight from the inputs) and the query strings the admin API takes.
 * The list and its CSV export share one mapping, so an export always holds what the table shows.
 */

export interface OrderFilters {
  status: OrderStatus | '';
  /** China dates `yyyy-MM-dd` from `<input type="date">`, or ''. */
  from: string;
  to: string;
  q: string;
  sort: AdminOrderSort;
  order: SortDirection;
}

export const DEFAULT_ORDER_FILTERS: OrderFilters = {
  status: '',
  from: '',
  to: '',
  q: '',
  sort: 'createdAt',
  order: 'desc',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with the filters before they are sent, or null. The API checks the same rules. */
export function orderFiltersProblem(filters: OrderFilters): string | null {
  if (filters.from !== '' && !DATE.test(filters.from)) return '开始日期格式不正确';
  if (filters.to !== '' && !DATE.test(filters.to)) return '结束日期格式不正确';
  if (filters.from !== '' && filters.to !== '' && filters.from > filters.to)
    return '开始日期不能晚于结束日期';
  if (filters.q.trim().length > 64) return '关键词最多 64 个字符';
  return null;
}

/** The query shared by `GET /api/admin/orders` and `GET /api/admin/orders.csv`; empty filters are left out. */
export function orderFilterParams(filters: OrderFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== '') params.set('status', filters.status);
  if (filters.from !== '') params.set('from', filters.from);
  if (filters.to !== '') params.set('to', filters.to);
  const q = filters.q.trim();
  if (q !== '') params.set('q', q);
  // Defaults are sent too: the server's default could change, the table's header arrow would not.
  params.set('sort', filters.sort);
  params.set('order', filters.order);
  return params;
}

/** The list's query: the filters plus the page. */
export function orderListParams(filters: OrderFilters, page: number, pageSize: number): URLSearchParams {
  const params = orderFilterParams(filters);
  params.set('page', String(page));
  params.set('pageSize', String(pageSize));
  return params;
}

export interface ProductFilters {
  q: string;
  status: ProductStatus | '';
  categoryId: string;
}

export const DEFAULT_PRODUCT_FILTERS: ProductFilters = { q: '', status: '', categoryId: '' };

export function productListParams(filters: ProductFilters, page: number, pageSize: number): URLSearchParams {
  const query: Partial<Record<keyof AdminProductListQuery, string>> = {
    q: filters.q.trim(),
    status: filters.status,
    categoryId: filters.categoryId,
    page: String(page),
    pageSize: String(pageSize),
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, value);
  return params;
}

export interface AuditFilters {
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}

export const DEFAULT_AUDIT_FILTERS: AuditFilters = {
  action: '',
  targetType: '',
  targetId: '',
  from: '',
  to: '',
};

export function auditListParams(filters: AuditFilters, page: number, pageSize: number): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['action', 'targetType', 'targetId', 'from', 'to'] as const) {
    const value = filters[key].trim();
    if (value !== '') params.set(key, value);
  }
  params.set('page', String(page));
  params.set('pageSize', String(pageSize));
  return params;
}

export function auditFiltersProblem(filters: AuditFilters): string | null {
  if (filters.from !== '' && filters.to !== '' && filters.from > filters.to)
    return '开始日期不能晚于结束日期';
  return null;
}
