import { useEffect, useEffectEvent, useState } from 'react';
import { ApiError } from './api';

export type Resource<T> = { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; data: T };

/**
 * Loads `load()` whenever `key` changes (aborting the previous request). While the
 * newest key has not answered yet, the previous data (if any) is still returned;
 * mount the caller with a React `key` when old data must not show for a new subject.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string; result: Resource<T> } | null>(null);

  const run = useEffectEvent((signal: AbortSignal) => load(signal));

  useEffect(() => {
    const controller = new AbortController();
    run(controller.signal).then(
      (data) => setState({ key, result: { status: 'ready', data } }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setState({ key, result: { status: 'error', error: apiError } });
      },
    );
    return () => controller.abort();
  }, [key]);

  if (!state) return { status: 'loading' };
  if (state.key === key) return state.result;
  // Reloading: keep showing the previous data rather than flashing a spinner.
  return state.result.status === 'ready' ? state.result : { status: 'loading' };
}
