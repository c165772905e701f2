import { type PaginationState } from '@tanstack/react-table';
import { type InputHTMLAttributes, type ReactNode, useState } from 'react';

import { usePageState } from '../lib/page-state';
import { Card, Field } from './ui';

/**
 * The filters of a paged list. `draft` is what the inputs show, `applied` what the list was loaded with; applying
 * filters starts the list again from its first page. All of it is page state (lib/page-state.ts), so it is still
 * there when the page is shown again.
 */
export interface ListFilters<T> {
  draft: T;
  setDraft: (next: T) => void;
  applied: T;
  /** Shows `next` in the inputs and, when nothing is wrong with it, loads the list by it from the first page. */
  apply: (next: T) => void;
  reset: () => void;
  /** What is wrong with the draft, or null. */
  problem: string | null;
  /** The applied filters narrow the list (a sort order alone does not). */
  filtered: boolean;
  pagination: PaginationState;
  setPagination: (next: PaginationState) => void;
}

const FIRST_PAGE: PaginationState = { pageIndex: 0, pageSize: 20 };
const NO_PROBLEM = () => null;

export function useListFilters<T extends object>(
  defaults: T,
  {
    initial,
    problemOf = NO_PROBLEM,
    sortKeys = [],
  }: {
    /** What a new visit starts with, when not `defaults` (reset still goes back to `defaults`). */
    initial?: () => T;
    problemOf?: (filters: T) => string | null;
    /** Keys that order the list rather than narrow it. */
    sortKeys?: readonly (keyof T & string)[];
  } = {},
): ListFilters<T> {
  const [start] = useState<T>(initial ?? defaults);
  const [draft, setDraft] = usePageState<T>('draft', start);
  const [applied, setApplied] = usePageState<T>('filters', start);
  const [pagination, setPagination] = usePageState<PaginationState>('pagination', FIRST_PAGE);
  const apply = (next: T) => {
    setDraft(next);
    if (problemOf(next) !== null) return;
    setApplied(next);
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };
  const narrowing = (filters: T) =>
    JSON.stringify(filters, (key, value: unknown) =>
      (sortKeys as readonly string[]).includes(key) ? undefined : value,
    );
  return {
    draft,
    setDraft,
    applied,
    apply,
    reset: () => apply(defaults),
    problem: problemOf(draft),
    filtered: narrowing(applied) !== narrowing(defaults),
    pagination,
    setPagination,
  };
}

/**
 * The search form above a list: the page's fields, then 查询 (apply the draft) and 重置 (back to the defaults), and
 * what is wrong with the draft under them.
 */
export function FilterBar<T>({
  label,
  filters,
  children,
  searchTestId,
  problemClassName,
}: {
  /** The form's accessible name. */
  label: string;
  filters: ListFilters<T>;
  children: ReactNode;
  searchTestId?: string;
  problemClassName?: string;
}) {
  return (
    <Card>
      <form
        className="filters"
        role="search"
        aria-label={label}
        onSubmit={(event) => {
          event.preventDefault();
          filters.apply(filters.draft);
        }}
      >
        {children}
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary" data-testid={searchTestId}>
            查询
          </button>
          <button type="button" className="btn" onClick={filters.reset}>
            重置
          </button>
        </div>
      </form>
      {filters.problem === null ? null : (
        <p
          className={problemClassName === undefined ? 'field__error' : `field__error ${problemClassName}`}
          role="alert"
        >
          {filters.problem}
        </p>
      )}
    </Card>
  );
}

/** The fields of `T` that hold a string: the ones an input or a select edits. */
type TextField<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T];

/** A choice of one value, or of all (the empty value, first, named by `all`); a choice applies at once. */
export function FilterSelect<T>({
  filters,
  field,
  label,
  all,
  options,
  testId,
}: {
  filters: ListFilters<T>;
  field: TextField<T>;
  label: string;
  all: string;
  options: readonly { value: string; label: string }[];
  testId?: string;
}) {
  return (
    <Field label={label}>
      {(props) => (
        <select
          {...props}
          className="select"
          value={filters.draft[field] as string}
          onChange={(event) => filters.apply({ ...filters.draft, [field]: event.target.value })}
          data-testid={testId}
        >
          <option value="">{all}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A typed filter, which waits for 查询 (or Enter), or a date, which applies as soon as it is picked. */
export function FilterInput<T>({
  filters,
  field,
  label,
  className,
  testId,
  ...input
}: {
  filters: ListFilters<T>;
  field: TextField<T>;
  label: string;
  testId?: string;
} & Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'className' | 'placeholder' | 'maxLength' | 'min' | 'max'
>) {
  return (
    <Field label={label}>
      {(props) => (
        <input
          {...props}
          {...input}
          className={className === undefined ? 'input' : `input ${className}`}
          value={filters.draft[field] as string}
          onChange={(event) => {
            const next = { ...filters.draft, [field]: event.target.value };
            if (input.type === 'date') filters.apply(next);
            else filters.setDraft(next);
          }}
          data-testid={testId}
        />
      )}
    </Field>
  );
}
