/**
 * The one way the web app talks to the server: JSON in and out, the chosen language on every
 * call (so problem `detail` comes back in it), and the CSRF token on every write.
 */
export type Locale = 'id' | 'en';

export interface FieldProblem {
  /** Where the error is, e.g. `body.email`. */
  path: string;
  /** Machine-readable reason, e.g. `too_small`. */
  code?: string;
  message: string;
}

export interface ProblemDetails {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  /** Field errors; `message` is already in the user's language. */
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? 'unknown';
    this.problem = problem;
  }

  /** Field errors keyed by the field name the form uses (`body.email` → `email`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.path.replace(/^body\.?/, '') || '_';
      if (!out[key]) out[key] = e.message;
    }
    return out;
  }
}

let locale: Locale = 'id';
let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setApiLocale(next: Locale): void {
  locale = next;
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, logged out elsewhere). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

interface RequestOptions {
  signal?: AbortSignal;
  /** Do not broadcast a 401 (used by the session probe itself). */
  quiet401?: boolean;
}

async function request<T>(method: string, path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': locale };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network_error' });
  }

  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const problem: ProblemDetails =
      data && typeof data === 'object' ? { ...(data as ProblemDetails), status: res.status } : { status: res.status };
    if (res.status === 401 && !opts.quiet401 && problem.code === 'unauthenticated') {
      for (const l of unauthenticatedListeners) l();
    }
    throw new ApiError(problem);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** Builds `path?k=v` leaving out empty values. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export interface UploadOptions extends RequestOptions {
  /** Bytes sent so far and the total, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
}

/**
 * POSTs a file as the raw request body (no multipart), with the language and CSRF headers and
 * the same problem handling as every other call. XMLHttpRequest, not fetch: only it reports how
 * much of the body has been sent, which is what a coordinator on a slow connection waits for.
 */
export function upload<T>(path: string, body: Blob, contentType: string, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', locale);
    xhr.setRequestHeader('content-type', contentType);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    if (opts.onProgress) {
      const onProgress = opts.onProgress;
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size));
    }
    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => opts.signal?.removeEventListener('abort', onAbort);

    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was aborted.', 'AbortError'));
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new ApiError({ status: 0, code: 'network_error' }));
    });
    xhr.addEventListener('load', () => {
      done();
      if (xhr.status === 204) return resolve(undefined as T);
      const type = xhr.getResponseHeader('content-type') ?? '';
      let data: unknown = null;
      if (type.includes('json')) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = null;
        }
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const problem: ProblemDetails =
          data && typeof data === 'object' ? { ...(data as ProblemDetails), status: xhr.status } : { status: xhr.status };
        if (xhr.status === 401 && !opts.quiet401 && problem.code === 'unauthenticated') {
          for (const l of unauthenticatedListeners) l();
        }
        return reject(new ApiError(problem));
      }
      resolve(data as T);
    });
    if (opts.signal?.aborted) {
      done();
      reject(new DOMException('The upload was aborted.', 'AbortError'));
      return;
    }
    xhr.send(body);
  });
}
