import {
  type ColumnDef,
  type PaginationState,
  rowPaginationFeature,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from '@tanstack/react-table';
import { Fragment, type ReactNode, useMemo } from 'react';

import { pageWindow } from '../lib/page-window';
import { type ApiState } from '../lib/use-api';
import { Card, ErrorState, Loading } from './ui';

import './data-table.css';

// Tables are TanStack Table (headless: state and row models) rendering a plain semantic <table> (README, "Tables").
// The admin's lists are sorted and paged by the API, so sorting and pagination run in manual mode: TanStack keeps
// the header toggles and page arithmetic, the page turns its state into the request.
export const adminTableFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature });
export type AdminTableFeatures = typeof adminTableFeatures;
export type AdminColumn<TData extends object> = ColumnDef<AdminTableFeatures, TData>;

export interface ServerSorting {
  sorting: SortingState;
  onSortingChange: (sorting: SortingState) => void;
}

export interface ServerPagination {
  pagination: PaginationState;
  rowCount: number;
  onPaginationChange: (pagination: PaginationState) => void;
}

export interface DataTableProps<TData extends object> {
  /** Keep `columns` and `data` stable (module scope, state or memo): a new array rebuilds the row model. */
  columns: AdminColumn<TData>[];
  data: TData[];
  caption?: string;
  getRowId?: (row: TData) => string;
  onRowClick?: (row: TData) => void;
  /** Shown in place of rows when `data` is empty. */
  empty?: ReactNode;
  sorting?: ServerSorting;
  pagination?: ServerPagination;
  /** Dims the rows while a new page loads. */
  busy?: boolean;
  testId?: string;
  /** Each row's `data-testid`, for lists whose rows a test picks as a whole. */
  rowTestId?: string;
  /** A class for a row, e.g. to mark an unread one. */
  rowClassName?: (row: TData) => string | undefined;
  /** What opens under a row (its details), or null while it is closed. */
  expanded?: (row: TData) => ReactNode;
}

function apply<T>(updater: Updater<T>, current: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(current) : updater;
}

const EMPTY_SORTING: SortingState = [];
const NO_PAGES: PaginationState = { pageIndex: 0, pageSize: 1000 };

export function DataTable<TData extends object>({
  columns,
  data,
  caption,
  getRowId,
  onRowClick,
  empty,
  sorting,
  pagination,
  busy,
  testId,
  rowTestId,
  rowClassName,
  expanded,
}: DataTableProps<TData>) {
  const sortingState = sorting?.sorting ?? EMPTY_SORTING;
  const paginationState = pagination?.pagination ?? NO_PAGES;
  const table = useTable({
    features: adminTableFeatures,
    columns,
    data,
    ...(getRowId === undefined ? {} : { getRowId: (row: TData) => getRowId(row) }),
    defaultColumn: { enableSorting: false },
    manualSorting: true,
    enableSortingRemoval: false,
    manualPagination: true,
    rowCount: pagination?.rowCount ?? data.length,
    state: { sorting: sortingState, pagination: paginationState },
    onSortingChange: (updater) => sorting?.onSortingChange(apply(updater, sortingState)),
    onPaginationChange: (updater) => pagination?.onPaginationChange(apply(updater, paginationState)),
  });

  const rows = table.getRowModel().rows;
  return (
    <div
      className={`data-table__wrap ${busy ? 'data-table__wrap--busy' : ''}`}
      data-testid={testId}
      aria-busy={busy}
    >
      <table className="data-table">
        {caption === undefined ? null : <caption>{caption}</caption>}
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const content = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                return (
                  <th
                    key={header.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="data-table__sort"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {content}
                        <span
                          className={`data-table__arrow data-table__arrow--${sorted || 'none'}`}
                          aria-hidden="true"
                        />
                      </button>
                    ) : (
                      content
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="data-table__empty">
              <td colSpan={columns.length}>{empty ?? '暂无数据'}</td>
            </tr>
          ) : (
            rows.map((row) => {
              const classes = [
                onRowClick === undefined ? undefined : 'data-table__row--link',
                rowClassName?.(row.original),
              ].filter((name) => name !== undefined && name !== '');
              const details = expanded?.(row.original) ?? null;
              return (
                <Fragment key={row.id}>
                  <tr
                    className={classes.length === 0 ? undefined : classes.join(' ')}
                    onClick={onRowClick === undefined ? undefined : () => onRowClick(row.original)}
                    data-testid={rowTestId}
                  >
                    {row.getAllCells().map((cell) => (
                      <td key={cell.id}>
                        <table.FlexRender cell={cell} />
                      </td>
                    ))}
                  </tr>
                  {details === null ? null : (
                    <tr className="data-table__expanded">
                      <td colSpan={columns.length}>{details}</td>
                    </tr>
                  )}
                </Fragment>
              );
            })
          )}
        </tbody>
      </table>
      {pagination === undefined ? null : <Pager table={table} rowCount={pagination.rowCount} />}
    </div>
  );
}

export interface ListTableProps<TData extends object> extends Omit<
  DataTableProps<TData>,
  'data' | 'busy' | 'pagination'
> {
  /** The list as `useApi` loads it; a paged list's `total` counts every page's rows. */
  list: ApiState<{ items: TData[]; total?: number }>;
  title?: string;
  pagination?: Omit<ServerPagination, 'rowCount'>;
}

/**
 * A page's list in a card: a failed load above it (with a retry), a spinner until the first answer, then the rows,
 * dimmed while the next answer loads.
 */
export function ListTable<TData extends object>({
  list,
  title,
  pagination,
  ...table
}: ListTableProps<TData>) {
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  return (
    <>
      {list.error === undefined ? null : <ErrorState error={list.error} onRetry={list.reload} />}
      <Card title={title} flush>
        {list.data === undefined && list.error === undefined ? (
          <Loading />
        ) : (
          <DataTable
            {...table}
            data={rows}
            busy={list.loading}
            pagination={
              pagination === undefined ? undefined : { ...pagination, rowCount: list.data?.total ?? 0 }
            }
          />
        )}
      </Card>
    </>
  );
}

interface PagerTable {
  getPageCount: () => number;
  getCanPreviousPage: () => boolean;
  getCanNextPage: () => boolean;
  previousPage: () => void;
  nextPage: () => void;
  setPageIndex: (updater: Updater<number>) => void;
  setPageSize: (updater: Updater<number>) => void;
  state: { pagination: PaginationState };
}

function Pager({ table, rowCount }: { table: PagerTable; rowCount: number }) {
  const { pageIndex, pageSize } = table.state.pagination;
  const pageCount = Math.max(1, table.getPageCount());
  return (
    <nav className="pager" aria-label="分页">
      <span className="pager__total" data-testid="table-total">
        共 {rowCount} 条
      </span>
      <button
        type="button"
        className="pager__btn"
        onClick={() => table.previousPage()}
        disabled={!table.getCanPreviousPage()}
        aria-label="上一页"
      >
        ‹
      </button>
      {pageWindow(pageIndex, pageCount).map((entry, n) =>
        entry === 'gap' ? (
          <span key={`gap-${n}`} className="pager__gap">
            …
          </span>
        ) : (
          <button
            key={entry}
            type="button"
            className={`pager__btn ${entry === pageIndex ? 'pager__btn--current' : ''}`}
            aria-current={entry === pageIndex ? 'page' : undefined}
            aria-label={`第 ${entry + 1} 页`}
            onClick={() => table.setPageIndex(entry)}
          >
            {entry + 1}
          </button>
        ),
      )}
      <button
        type="button"
        className="pager__btn"
        onClick={() => table.nextPage()}
        disabled={!table.getCanNextPage()}
        aria-label="下一页"
      >
        ›
      </button>
      <select
        className="select pager__size"
        aria-label="每页条数"
        value={pageSize}
        onChange={(event) => table.setPageSize(Number(event.target.value))}
      >
        {[20, 50, 100].map((size) => (
          <option key={size} value={size}>
            {size} 条/页
          </option>
        ))}
      </select>
    </nav>
  );
}
