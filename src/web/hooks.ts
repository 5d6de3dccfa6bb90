import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api/client.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

const cache = new Map<string, unknown>();

/**
 * GETs `path` (null = nothing to fetch) and re-fetches when it changes. `cacheable` keeps the
 * answer for the visit: for reference data that does not change, such as boundaries.
 */
export function useApi<T>(path: string | null, opts: { cacheable?: boolean } = {}): ApiState<T> {
  const cached = path && opts.cacheable ? (cache.get(path) as T | undefined) : undefined;
  const [state, setState] = useState<{ path: string | null; data: T | undefined; error: ApiError | null; loading: boolean }>(
    { path, data: cached, error: null, loading: !!path && cached === undefined },
  );
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!path) {
      setState({ path, data: undefined, error: null, loading: false });
      return;
    }
    if (opts.cacheable && cache.has(path)) {
      setState({ path, data: cache.get(path) as T, error: null, loading: false });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ path, data: s.path === path ? s.data : undefined, error: null, loading: true }));
    api
      .get<T>(path, { signal: ctrl.signal })
      .then((data) => {
        if (opts.cacheable) cache.set(path, data);
        setState({ path, data, error: null, loading: false });
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setState({ path, data: undefined, error: toApiError(err), loading: false });
      });
    return () => ctrl.abort();
  }, [path, nonce, opts.cacheable]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const setData = useCallback((data: T) => setState((s) => ({ ...s, data })), []);
  // While a new path loads, never show the previous path's data.
  const data = state.path === path ? state.data : cached;
  const loading = state.path === path ? state.loading : !!path && cached === undefined;
  return { data, error: state.path === path ? state.error : null, loading, reload, setData };
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError({ status: 0, code: 'client_error', detail: String(err) });
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mql = window.matchMedia(query);
    const onChange = () => setMatches(mql.matches);
    onChange();
    mql.addEventListener('change', onChange);
    return () => mql.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** Runs an async action, tracking busy state and the last error, for forms and buttons. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fnRef.current(...args);
    } catch (err) {
      setError(toApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Simpul` : 'Simpul';
  }, [title]);
}
