import { formatFen } from '@shop/contract';
import { type ReactNode, useId } from 'react';

import { type ApiError } from '../lib/api-client';
import { errorDetail, errorHeadline, type ErrorWords } from '../lib/errors';
import { type Tone } from '../lib/labels';

// Small presentational pieces shared by every page. Plain DOM elements: the admin is built for H5 only, where
// Taro's React renders through react-dom, and native controls give labels, focus and keyboard use for free.

export function Tag({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span className={`tag tag--${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function StatusTag({ entry, testId }: { entry: { label: string; tone: Tone }; testId?: string }) {
  return (
    <Tag tone={entry.tone} testId={testId}>
      {entry.label}
    </Tag>
  );
}

/** Money in fen, always through `formatFen`. */
export function Money({ fen, className }: { fen: number; className?: string }) {
  return <span className={`num ${className ?? ''}`}>{formatFen(fen)}</span>;
}

export function Card({
  title,
  extra,
  children,
  flush,
  testId,
  className,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  flush?: boolean;
  testId?: string;
  className?: string;
}) {
  const headingId = useId();
  return (
    <section
      className={`card ${flush ? 'card--flush' : ''} ${className ?? ''}`}
      aria-labelledby={title === undefined ? undefined : headingId}
      data-testid={testId}
    >
      {title === undefined && extra === undefined ? null : (
        <div className="card__head">
          <h2 className="card__title" id={headingId}>
            {title}
          </h2>
          {extra === undefined ? null : <div className="card__extra">{extra}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function Banner({
  tone,
  title,
  children,
  action,
  onDismiss,
  testId,
  role = tone === 'danger' ? 'alert' : 'status',
}: {
  tone: 'success' | 'danger' | 'warning' | 'info';
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  /** Offers 知道了 in place of an action, for a notice the reader closes once read. */
  onDismiss?: () => void;
  testId?: string;
  /** How it is announced: `alert` at once (the default for `danger`), `status` politely. */
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`banner banner--${tone}`} role={role} data-testid={testId}>
      <div className="banner__body">
        {title === undefined ? null : <div className="banner__title">{title}</div>}
        {children}
      </div>
      {action ??
        (onDismiss === undefined ? null : (
          <button type="button" className="btn btn--link" onClick={onDismiss}>
            知道了
          </button>
        ))}
    </div>
  );
}

/**
 * A failed call: the code's zh-CN headline (after `prefix`, naming what failed, when there is one), the detail the
 * code and its details give (never the server's English message), and what the caller adds (`words` for what a
 * code means on this form, `extra`, `action`). Nothing without an error, so a form can place it unconditionally
 * above its fields.
 */
export function ErrorBanner({
  error,
  prefix,
  words,
  extra,
  action,
  testId,
}: {
  error: ApiError | null;
  prefix?: string;
  words?: ErrorWords;
  extra?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  if (error === null) return null;
  const headline = errorHeadline(error.code);
  const detail = errorDetail(error, words);
  return (
    <Banner
      tone="danger"
      title={prefix === undefined ? headline : `${prefix}：${headline}`}
      testId={testId}
      action={action}
    >
      {detail === null ? null : <span className="muted">{detail}</span>}
      {extra}
    </Banner>
  );
}

/** A failed load, with a retry when one makes sense. */
export function ErrorState({
  error,
  onRetry,
  testId,
}: {
  error: ApiError;
  onRetry?: () => void;
  testId?: string;
}) {
  return (
    <ErrorBanner
      error={error}
      testId={testId ?? 'error-state'}
      action={
        onRetry === undefined ? undefined : (
          <button type="button" className="btn btn--small" onClick={onRetry}>
            重试
          </button>
        )
      }
    />
  );
}

/**
 * A page whose data is not on screen: its head (the way back, or its title), then why: it was opened without the
 * key it loads by (`missing`), the data is still loading, or the load failed (with a retry).
 */
export function NotLoaded({
  head,
  missing,
  error,
  onRetry,
}: {
  head: ReactNode;
  missing?: { title: string; hint: string };
  error: ApiError | undefined;
  onRetry: () => void;
}) {
  return (
    <>
      {head}
      {missing !== undefined ? (
        <Banner tone="warning" title={missing.title}>
          {missing.hint}
        </Banner>
      ) : error === undefined ? (
        <Loading />
      ) : (
        <ErrorState error={error} onRetry={onRetry} />
      )}
    </>
  );
}

export function Loading({ label = '加载中…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty" data-testid="empty-state">
      <svg width="56" height="42" viewBox="0 0 56 42" aria-hidden="true">
        <rect x="4" y="10" width="48" height="28" rx="4" fill="#f2f3f5" stroke="#dfe2e8" />
        <path d="M4 22h14l4 6h12l4-6h14" fill="none" stroke="#dfe2e8" />
        <rect x="14" y="2" width="28" height="14" rx="2" fill="#fff" stroke="#dfe2e8" />
      </svg>
      <span className="state__title">{title}</span>
      {children === undefined ? null : <span className="muted">{children}</span>}
    </div>
  );
}

/** A labelled form field; the control gets the id so its label names it for screen readers and tests. */
export function Field({
  label,
  required,
  hint,
  error,
  children,
}: {
  label: string;
  required?: boolean;
  hint?: ReactNode;
  error?: string | null;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className="field">
      <label className={`field__label ${required ? 'field__label--required' : ''}`} htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        ...(describedBy === undefined ? {} : { 'aria-describedby': describedBy }),
      })}
      {error ? (
        <span className="field__error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : hint === undefined ? null : (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <h1 className="page-header__title">{title}</h1>
        {description === undefined ? null : <p className="page-header__desc">{description}</p>}
      </div>
      {actions === undefined ? null : <div className="page-header__actions">{actions}</div>}
    </div>
  );
}
