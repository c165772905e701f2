import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DependencyList } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedState<T> {
  items: T[];
  /** The first page: loading, failed, or there. */
  status: 'loading' | 'error' | 'ready';
  error: unknown;
  loadingMore: boolean;
  /** Loading a later page failed: shown at the list's end with a retry. */
  moreError: unknown;
  done: boolean;
}

/**
 * A cursor-paginated list ({items, nextCursor} from the API): the first page on mount and whenever `deps` change,
 * the next one on `loadMore` (infinite scroll). One page loads at a time; answers for an older query are dropped.
 */
export function usePaged<T>(loadPage: (cursor: string | null) => Promise<Page<T>>, deps: DependencyList) {
  const [state, setState] = useState<PagedState<T>>({
    items: [],
    status: 'loading',
    error: null,
    loadingMore: false,
    moreError: null,
    done: false,
  });
  const generation = useRef(0);
  const cursor = useRef<string | null>(null);
  const busy = useRef(false);
  const loader = useRef(loadPage);
  // The latest loader (it closes over the page's current query), updated before the effects below run.
  useLayoutEffect(() => {
    loader.current = loadPage;
  });

  const first = useCallback((quiet = false) => {
    const ticket = ++generation.current;
    busy.current = true;
    if (!quiet) setState((s) => ({ ...s, status: 'loading', error: null, moreError: null }));
    return loader.current(null).then(
      (page) => {
        if (ticket !== generation.current) return;
        busy.current = false;
        cursor.current = page.nextCursor;
        setState({
          items: page.items,
          status: 'ready',
          error: null,
          loadingMore: false,
          moreError: null,
          done: page.nextCursor === null,
        });
      },
      (error: unknown) => {
        if (ticket !== generation.current) return;
        busy.current = false;
        setState((s) => (quiet && s.status === 'ready' ? s : { ...s, status: 'error', error }));
      },
    );
  }, []);

  const loadMore = useCallback(() => {
    if (busy.current || cursor.current === null) return;
    const ticket = generation.current;
    busy.current = true;
    setState((s) => ({ ...s, loadingMore: true, moreError: null }));
    loader.current(cursor.current).then(
      (page) => {
        if (ticket !== generation.current) return;
        busy.current = false;
        cursor.current = page.nextCursor;
        setState((s) => ({
          ...s,
          items: [...s.items, ...page.items],
          loadingMore: false,
          done: page.nextCursor === null,
        }));
      },
      (error: unknown) => {
        if (ticket !== generation.current) return;
        busy.current = false;
        setState((s) => ({ ...s, loadingMore: false, moreError: error }));
      },
    );
  }, []);

  useEffect(() => {
    // Starting the first page includes showing its loading state; the answer arrives asynchronously.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void first();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to start over
  }, deps);

  return {
    ...state,
    loadMore,
    reload: useCallback(() => void first(), [first]),
    refresh: useCallback(() => first(true), [first]),
  };
}
