import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react';

import './dialog.css';

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` gives the backdrop, focus trapping, Esc to close and
 * the `dialog` role with its accessible name (the title) without a library. The body is a form; `onSubmit` receives
 * the submit event already prevented.
 */
export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit?: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Wider dialogs for tables (px). */
  width?: number;
  testId?: string;
}

export function Dialog({
  open,
  title,
  onClose,
  onSubmit,
  children,
  footer,
  width = 480,
  testId,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      style={{ width }}
      data-testid={testId}
      // Esc closes a native dialog by itself; keep React's state in step.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <form className="dialog__form" onSubmit={submit} noValidate>
          <header className="dialog__head">
            <h2 id={titleId} className="dialog__title">
              {title}
            </h2>
            <button type="button" className="dialog__close" aria-label="关闭" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog__body">{children}</div>
          {footer === undefined ? null : <footer className="dialog__foot">{footer}</footer>}
        </form>
      ) : null}
    </dialog>
  );
}

/**
 * The footer every form dialog has: 取消, and the submit button, which is disabled and says `busyLabel` while the
 * request runs so the merchant sees it went out and cannot send it twice.
 */
export function DialogFooter({
  onCancel,
  busy,
  label,
  busyLabel = '提交中…',
  tone = 'primary',
  testId,
}: {
  onCancel: () => void;
  busy: boolean;
  label: string;
  busyLabel?: string;
  tone?: 'primary' | 'danger';
  testId: string;
}) {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel}>
        取消
      </button>
      <button type="submit" className={`btn btn--${tone}`} disabled={busy} data-testid={testId}>
        {busy ? busyLabel : label}
      </button>
    </>
  );
}
