/** Loads what a page shows, again when its inputs change; the newest call wins. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const call = useRef(0);
  useEffect(() => {
    const mine = ++call.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (mine === call.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (mine === call.current) setState({ data: undefined, error: error instanceof Error ? error : new Error(String(error)), loading: false });
      },
    );
  }, [...inputs, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
