/**
 * The problem codes the API answers with, each with its HTTP status and title. A plain table:
 * `http/problem.ts` builds RFC 9457 bodies from it, and errors that are answers (`errors.ts`) name
 * their code from it without depending on the HTTP layer.
 */
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
  headers_too_large: { status: 431, title: 'Request header fields too large' },
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
