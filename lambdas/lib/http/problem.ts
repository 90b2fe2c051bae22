/**
 * RFC 9457 problem details. Every error the API returns — from a handler, the twin's gateway, or
 * an API Gateway gateway response — is built from this catalogue, so clients see one format.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://retrysafe.dev/problems/';

export const problemCatalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'Request body is not valid JSON' },
  json_too_deep: { status: 400, title: 'Request body nests too deeply' },
  validation_failed: { status: 400, title: 'Request body failed validation' },
  invalid_path_parameter: { status: 400, title: 'Path parameter is not valid' },
  invalid_query_parameter: { status: 400, title: 'Query parameter is not valid' },
  invalid_cursor: { status: 400, title: 'Cursor is not one this API returned' },
  invalid_path: { status: 400, title: 'Request path cannot be decoded' },
  idempotency_key_invalid: { status: 400, title: 'Idempotency-Key header is not valid' },
  webhook_url_invalid: {
    status: 400,
    title: 'Webhook URL must be https to a public address',
  },
  unauthorized: { status: 401, title: 'Missing or invalid credentials' },
  forbidden: { status: 403, title: 'Not allowed for this caller' },
  not_found: { status: 404, title: 'Not found' },
  idempotency_request_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still in progress',
  },
  idempotency_window_expired: {
    status: 409,
    title: 'The idempotency window for this key has expired',
  },
  conflict: { status: 409, title: 'Conflict with the current state' },
  payload_too_large: { status: 413, title: 'Request body is too large' },
  unsupported_media_type: { status: 415, title: 'Content-Type must be application/json' },
  idempotency_key_reused: {
    status: 422,
    title: 'Idempotency-Key was already used for a different request',
  },
  unprocessable: { status: 422, title: 'Request cannot be processed' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  bad_gateway: { status: 502, title: 'The function behind this route failed' },
  service_unavailable: { status: 503, title: 'Temporarily unavailable' },
  gateway_timeout: { status: 504, title: 'The function behind this route did not answer in time' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalogue;

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly [extension: string]: unknown;
}

/** Builds the problem body for a code, with optional extension members (e.g. `errors`). */
export const problem = (
  code: ProblemCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem => {
  const { status, title } = problemCatalogue[code];
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail, code, ...extensions };
};
