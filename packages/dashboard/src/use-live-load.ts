import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api.js';

export interface LiveLoad<T> {
  value: T | undefined;
  failure: ApiFailure | undefined;
}

/**
 * Runs `load` when `keys` change and again on each bump of `changes`, keeping the newest result:
 * a slow answer never overwrites a newer one, and under a burst of changes every completed load
 * still shows (no load is cancelled by the next). A change of `keys` clears the value; a failed
 * load keeps the last value next to its `failure`.
 */
export function useLiveLoad<T>(
  load: () => Promise<T>,
  keys: readonly unknown[],
  changes: number,
): LiveLoad<T> {
  const [state, setState] = useState<LiveLoad<T>>({ value: undefined, failure: undefined });
  const started = useRef(0);
  const applied = useRef(0);
  const keysFrom = useRef(0);

  useEffect(() => {
    keysFrom.current = started.current + 1;
    applied.current = 0;
    setState({ value: undefined, failure: undefined });
  }, keys);

  useEffect(() => {
    const run = ++started.current;
    const apply = (next: (previous: LiveLoad<T>) => LiveLoad<T>) => {
      if (run < keysFrom.current || run <= applied.current) return;
      applied.current = run;
      setState(next);
    };
    load().then(
      (value) => apply(() => ({ value, failure: undefined })),
      (error: unknown) => {
        const failure =
          error instanceof ApiFailure ? error : new ApiFailure(0, 'network', String(error));
        // A failed re-read keeps what was shown, next to the failure.
        apply((previous) => ({ value: previous.value, failure }));
      },
    );
  }, [...keys, changes]);

  return state;
}
