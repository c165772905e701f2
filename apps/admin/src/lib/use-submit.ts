import { useState } from 'react';

import { type ApiError, asApiError } from './api-client';

/**
 * One submission at a time for a form or dialog: `busy` while `run`'s action is in flight, and a `run` made while
 * busy does nothing, so a double click sends one request. `error` is the latest run's failure, cleared when the next
 * run starts, and whenever `openedFor` changes (a dialog passes what it is open for), so a dialog opened again does
 * not greet the merchant with the last failure. `run` also resolves to that failure (null on success or when
 * skipped), for a caller that reacts to a particular code.
 */
export function useSubmit(openedFor?: unknown) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // Adjusting state while rendering, React's documented pattern for resetting on a prop change.
  const [seen, setSeen] = useState(openedFor);
  if (!Object.is(seen, openedFor)) {
    setSeen(openedFor);
    setError(null);
  }
  const run = async (action: () => Promise<void>): Promise<ApiError | null> => {
    if (busy) return null;
    setBusy(true);
    setError(null);
    try {
      await action();
      return null;
    } catch (cause) {
      const failure = asApiError(cause);
      setError(failure);
      return failure;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
