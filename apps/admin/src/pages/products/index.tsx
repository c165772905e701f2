import {
  type AdminCategoryList,
  type AdminProductList,
  type AdminProductSummary,
  PRODUCT_STATUSES,
  type ProductStatus,
} from '@shop/contract';
import { createColumnHelper, type PaginationState } from '@tanstack/react-table';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';

import { type AdminTableFeatures, DataTable } from '../../components/data-table';
import { adminPage, useAdmin } from '../../components/layout';
import { PageLink } from '../../components/links';
import {
  Card,
  Empty,
  ErrorBanner,
  ErrorState,
  Loading,
  Money,
  PageHeader,
  StatusTag,
} from '../../components/ui';
import { api, apiAsset } from '../../lib/api';
import { type ApiError, asApiError } from '../../lib/api-client';
import { DEFAULT_PRODUCT_FILTERS, type ProductFilters, productListParams } from '../../lib/filters';
import { formatShortDateTime } from '../../lib/format';
import { PRODUCT_STATUS_LABELS } from '../../lib/labels';
import { openPage } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
import { usePageState } from '../../lib/page-state';
import { useApi } from '../../lib/use-api';
import './index.css';

const column = createColumnHelper<AdminTableFeatures, AdminProductSummary>();

function columns(actions: (product: AdminProductSummary) => ReactNode) {
  return column.columns([
    column.accessor('title', {
      header: '商品',
      cell: (info) => {
        const product = info.row.original;
        return (
          <div className="product-cell">
            {product.imageUrl === null ? (
              <span className="product-cell__image" />
            ) : (
              <img className="product-cell__image" src={apiAsset(product.imageUrl)} alt="" loading="lazy" />
            )}
            <div className="stack product-cell__text">
              <PageLink href={pageUrl('productEdit', { id: product.id })} testId="product-link">
                {product.title}
              </PageLink>
              <span className="muted">{product.subtitle}</span>
            </div>
          </div>
        );
      },
    }),
    column.accessor('categoryName', { header: '分类' }),
    column.accessor('status', {
      header: '状态',
      cell: (info) => (
        <div className="row">
          <StatusTag entry={PRODUCT_STATUS_LABELS[info.getValue()]} testId="product-status" />
          {info.row.original.featured ? <span className="tag tag--info">推荐</span> : null}
        </div>
      ),
    }),
    column.accessor('minPriceFen', {
      header: '价格',
      cell: (info) => (
        <span className="num">
          <Money fen={info.getValue()} />
          {info.row.original.maxPriceFen > info.getValue() ? (
            <>
              {' ~ '}
              <Money fen={info.row.original.maxPriceFen} />
            </>
          ) : null}
        </span>
      ),
    }),
    column.accessor('totalStock', {
      header: '库存',
      cell: (info) => (
        <div className="stack">
          <span className="num">{info.getValue()}</span>
          {info.row.original.soldOutSkuCount > 0 ? (
            <span className="products__soldout">
              {info.row.original.soldOutSkuCount}/{info.row.original.skuCount} 个规格售罄
            </span>
          ) : (
            <span className="muted">{info.row.original.skuCount} 个规格</span>
          )}
        </div>
      ),
    }),
    column.accessor('salesCount', {
      header: '销量',
      cell: (info) => <span className="num">{info.getValue()}</span>,
    }),
    column.accessor('updatedAt', {
      header: '更新时间',
      cell: (info) => <span className="num">{formatShortDateTime(info.getValue())}</span>,
    }),
    column.display({ id: 'actions', header: '操作', cell: (info) => actions(info.row.original) }),
  ]);
}

function Products() {
  const { can } = useAdmin();
  const canWrite = can('products.write');
  const [draft, setDraft] = usePageState<ProductFilters>('draft', DEFAULT_PRODUCT_FILTERS);
  const [filters, setFilters] = usePageState<ProductFilters>('filters', DEFAULT_PRODUCT_FILTERS);
  const [pagination, setPagination] = usePageState<PaginationState>('pagination', {
    pageIndex: 0,
    pageSize: 20,
  });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const query = productListParams(filters, pagination.pageIndex + 1, pagination.pageSize);
  const list = useApi(query.toString(), (signal) =>
    api.get<AdminProductList>('/api/admin/products', { query, signal }),
  );
  const categories = useApi('categories', (signal) =>
    api.get<AdminCategoryList>('/api/admin/categories', { signal }),
  );
  const { reload } = list;

  const apply = (next: ProductFilters) => {
    setDraft(next);
    setFilters(next);
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };

  const cols = useMemo(() => {
    const toggle = async (product: AdminProductSummary) => {
      const action = product.status === 'PUBLISHED' ? 'unpublish' : 'publish';
      setBusyId(product.id);
      setActionError(null);
      try {
        await api.post(`/api/admin/products/${encodeURIComponent(product.id)}/${action}`, {});
        reload();
      } catch (cause) {
        setActionError(asApiError(cause));
      } finally {
        setBusyId(null);
      }
    };
    return columns((product) => (
      <div className="row">
        <PageLink href={pageUrl('productEdit', { id: product.id })}>{canWrite ? '编辑' : '查看'}</PageLink>
        {canWrite ? (
          <button
            type="button"
            className="btn btn--link"
            disabled={busyId === product.id}
            onClick={() => void toggle(product)}
            data-testid="product-toggle"
          >
            {product.status === 'PUBLISHED' ? '下架' : '上架'}
          </button>
        ) : null}
      </div>
    ));
  }, [canWrite, busyId, reload]);
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  const filtered = JSON.stringify(filters) !== JSON.stringify(DEFAULT_PRODUCT_FILTERS);

  return (
    <>
      <PageHeader
        title="商品"
        description="管理商品信息、上下架、价格与库存。"
        actions={
          canWrite ? (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => openPage(pageUrl('productEdit'))}
              data-testid="product-create"
            >
              新建商品
            </button>
          ) : undefined
        }
      />
      <Card>
        <form
          className="filters"
          role="search"
          aria-label="筛选商品"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            apply(draft);
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor="products-q">
              搜索
            </label>
            <input
              id="products-q"
              className="input products__q"
              placeholder="商品标题或副标题"
              maxLength={50}
              value={draft.q}
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="products-status">
              状态
            </label>
            <select
              id="products-status"
              className="select"
              value={draft.status}
              onChange={(e) => apply({ ...draft, status: e.target.value as ProductStatus | '' })}
            >
              <option value="">全部状态</option>
              {PRODUCT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {PRODUCT_STATUS_LABELS[status].label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="products-category">
              分类
            </label>
            <select
              id="products-category"
              className="select"
              value={draft.categoryId}
              onChange={(e) => apply({ ...draft, categoryId: e.target.value })}
            >
              <option value="">全部分类</option>
              {(categories.data?.items ?? []).map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </select>
          </div>
          <div className="filters__actions">
            <button type="submit" className="btn btn--primary">
              查询
            </button>
            <button type="button" className="btn" onClick={() => apply(DEFAULT_PRODUCT_FILTERS)}>
              重置
            </button>
          </div>
        </form>
      </Card>
      <ErrorBanner error={actionError} />
      {list.error === undefined ? null : <ErrorState error={list.error} onRetry={reload} />}
      <Card flush>
        {list.data === undefined && list.error === undefined ? (
          <Loading />
        ) : (
          <DataTable
            columns={cols}
            data={rows}
            getRowId={(row) => row.id}
            busy={list.loading}
            testId="products-table"
            pagination={{ pagination, rowCount: list.data?.total ?? 0, onPaginationChange: setPagination }}
            empty={
              <Empty title={filtered ? '没有符合条件的商品' : '还没有商品'}>
                {filtered
                  ? '换个关键词或筛选条件再试'
                  : canWrite
                    ? '点击右上角“新建商品”添加第一件商品'
                    : undefined}
              </Empty>
            }
          />
        )}
      </Card>
    </>
  );
}

export default adminPage(Products, { section: 'products', title: '商品', permission: 'products.read' });
