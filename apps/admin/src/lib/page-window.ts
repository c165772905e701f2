/**
 * The page buttons a pager shows: the first and last page, the current one with `span` neighbours each side, and a
 * gap where pages are skipped. Zero-based indexes.
 */
export function pageWindow(pageIndex: number, pageCount: number, span = 2): (number | 'gap')[] {
  if (pageCount <= 0) return [];
  const pages = new Set<number>([0, pageCount - 1]);
  for (let i = pageIndex - span; i <= pageIndex + span; i++) if (i >= 0 && i < pageCount) pages.add(i);
  const sorted = [...pages].sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  for (const [n, i] of sorted.entries()) {
    const previous = sorted[n - 1];
    if (previous !== undefined && i - previous > 1) out.push('gap');
    out.push(i);
  }
  return out;
}
