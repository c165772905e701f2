import {
  type AdminCategoryList,
  type AdminProductList,
  type AdminProductSummary,
  PRODUCT_STATUSES,
} from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo, useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { FilterBar, FilterInput, FilterSelect, useListFilters } from '../../components/filter-bar';
import { adminPage, useAdmin } from '../../components/layout';
import { PageLink } from '../../components/links';
import { Empty, ErrorBanner, Money, PageHeader, StatusTag } from '../../components/ui';
import { api, apiAsset } from '../../lib/api';
import { type ApiError, asApiError } from '../../lib/api-client';
import { DEFAULT_PRODUCT_FILTERS, productListParams } from '../../lib/filters';
import { formatShortDateTime } from '../../lib/format';
import { PRODUCT_STATUS_LABELS } from '../../lib/labels';
import { openPage } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
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

const STATUS_OPTIONS = PRODUCT_STATUSES.map((status) => ({
  value: status,
  label: PRODUCT_STATUS_LABELS[status].label,
}));

function Products() {
  const { can } = useAdmin();
  const canWrite = can('products.write');
  const filters = useListFilters(DEFAULT_PRODUCT_FILTERS);
  const { pagination } = filters;
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const query = productListParams(filters.applied, pagination.pageIndex + 1, pagination.pageSize);
  const list = useApi(query.toString(), (signal) =>
    api.get<AdminProductList>('/api/admin/products', { query, signal }),
  );
  const categories = useApi('categories', (signal) =>
    api.get<AdminCategoryList>('/api/admin/categories', { signal }),
  );
  const { reload } = list;

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
      <FilterBar label="筛选商品" filters={filters}>
        <FilterInput
          filters={filters}
          field="q"
          label="搜索"
          className="products__q"
          placeholder="商品标题或副标题"
          maxLength={50}
        />
        <FilterSelect filters={filters} field="status" label="状态" all="全部状态" options={STATUS_OPTIONS} />
        <FilterSelect
          filters={filters}
          field="categoryId"
          label="分类"
          all="全部分类"
          options={(categories.data?.items ?? []).map((category) => ({
            value: category.id,
            label: category.name,
          }))}
        />
      </FilterBar>
      <ErrorBanner error={actionError} />
      <ListTable
        list={list}
        columns={cols}
        getRowId={(row) => row.id}
        testId="products-table"
        pagination={{ pagination, onPaginationChange: filters.setPagination }}
        empty={
          <Empty title={filters.filtered ? '没有符合条件的商品' : '还没有商品'}>
            {filters.filtered
              ? '换个关键词或筛选条件再试'
              : canWrite
                ? '点击右上角“新建商品”添加第一件商品'
                : undefined}
          </Empty>
        }
      />
    </>
  );
}

export default adminPage(Products, { section: 'products', title: '商品', permission: 'products.read' });
