import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DependencyList } from 'react';

/** One request's state for a page: loading, failed (with the error to show) or ready. */
export type Loadable<T> =
  { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/**
 * Loads data for a page and reloads it on demand. A reload keeps showing the current data until the new answer
 * arrives (`quiet`), and an answer that arrives after a newer request started is dropped.
 */
export function useRequest<T>(load: () => Promise<T>, deps: DependencyList) {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const latest = useRef(0);
  const loader = useRef(load);
  // The latest loader (it closes over the page's current query), updated before the effects below run.
  useLayoutEffect(() => {
    loader.current = load;
  });

  const run = useCallback((quiet: boolean) => {
    const ticket = ++latest.current;
    if (!quiet) setState({ status: 'loading' });
    return loader.current().then(
      (data) => {
        if (ticket === latest.current) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (ticket === latest.current)
          setState((current) => (quiet && current.status === 'ready' ? current : { status: 'error', error }));
        if (quiet) throw error;
      },
    );
  }, []);

  useEffect(() => {
    // Starting the request includes showing its loading state; the answer arrives asynchronously.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void run(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to load again
  }, deps);

  const setData = useCallback((data: T) => {
    latest.current += 1;
    setState({ status: 'ready', data });
  }, []);

  return {
    state,
    /** Loads again, showing the loading state. */
    reload: useCallback(() => void run(false), [run]),
    /** Loads again behind the current data (on returning to a page, pull-to-refresh); rejects on failure. */
    refresh: useCallback(() => run(true), [run]),
    /** Replaces the data with an answer the page already has (a mutation returned the new cart). */
    setData,
  };
}
