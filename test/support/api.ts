/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience — assertions read arbitrary fields.
  readonly body: any;
}

export interface RequestOptions {
  /** Idempotency-Key header; omitted when undefined. */
  readonly key?: string;
  /** Bearer token; defaults to the admin token, `null` sends none. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  /** Raw body, sent as is (for malformed-input tests). */
  readonly raw?: string;
}

export type Api = ReturnType<typeof apiClient>;

/** A tiny fetch wrapper for the twin's API. */
export const apiClient = (baseUrl: string, adminToken: string) => {
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? adminToken : options.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (options.key !== undefined) headers['Idempotency-Key'] = options.key;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
  return {
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, undefined, options),
    post: (path: string, body?: unknown, options?: RequestOptions) =>
      request('POST', path, body, options),
    put: (path: string, body?: unknown, options?: RequestOptions) =>
      request('PUT', path, body, options),
    delete: (path: string, options?: RequestOptions) => request('DELETE', path, undefined, options),
  };
};

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export const eventually = async <T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
