import { useCallback, useEffect, useRef, useState } from 'react';

import { type ApiError, asApiError } from './api-client';

/**
 * Loads data for a page: `loading` while a request runs (earlier data stays on screen, so a table does not flash
 * empty between pages), `error` when the latest request failed, `reload()` to try again. A new `key` (the request's
 * identity, e.g. its query string) starts a new request and aborts the old one, so a slow answer never overwrites a
 * newer one; `null` loads nothing. A page shown again after another was on top of it mounts afresh (see
 * components/layout.tsx), so it loads current data.
 *
 * Written here rather than adding a data-fetching library: the admin needs no cache shared between pages, and this
 * is the whole of what it needs.
 */
export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  /** Which request this answers (`key#generation`). */
  request: string;
  data: T | undefined;
  error: ApiError | undefined;
}

export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): ApiState<T> {
  const [generation, setGeneration] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>({ request: '', data: undefined, error: undefined });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const request = key === null ? '' : `${key}#${generation}`;

  useEffect(() => {
    if (key === null) return;
    const id = `${key}#${generation}`;
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ request: id, data, error: undefined });
      },
      (cause: unknown) => {
        if (!controller.signal.aborted)
          setSettled((old) => ({ request: id, data: old.data, error: asApiError(cause, 'BAD_RESPONSE') }));
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  const current = settled.request === request;
  return {
    data: settled.data,
    error: current ? settled.error : undefined,
    loading: key !== null && !current,
    reload,
  };
}
