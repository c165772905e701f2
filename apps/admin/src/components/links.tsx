import { type ReactNode } from 'react';

import { openPage } from '../lib/nav';
import { pageUrl } from '../lib/paths';

/** A link to a page inside a section: a real `<a href>` (copy, open in a new tab), navigated by Taro's router. */
export function PageLink({
  href,
  children,
  className,
  testId,
}: {
  href: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <a
      href={href}
      className={className}
      data-testid={testId}
      onClick={(event) => {
        event.stopPropagation();
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        openPage(href);
      }}
    >
      {children}
    </a>
  );
}

/** Above a record's page: the way back to the list it was opened from. */
export function BackLink({ href, children }: { href: string; children: string }) {
  return (
    <PageLink href={href} className="back-link">
      {`← ${children}`}
    </PageLink>
  );
}

export function OrderLink({ id, orderNo, testId }: { id: string; orderNo: string; testId?: string }) {
  return (
    <PageLink href={pageUrl('orderDetail', { id })} className="mono" testId={testId}>
      {orderNo}
    </PageLink>
  );
}
