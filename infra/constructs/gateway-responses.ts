import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { PROBLEM_CONTENT_TYPE, problem } from '#lib/http/problem.ts';
import type { ProblemCode } from '#lib/problem-codes.ts';

/** One API Gateway gateway response, answered as a problem from the shared catalogue. */
export interface ProblemGatewayResponse {
  readonly type: ResponseType;
  readonly code: ProblemCode;
  /** Fixed detail; absent means API Gateway's own message (`$context.error.messageString`). */
  readonly detail?: string;
  /** Seconds a client should wait before retrying (`Retry-After`). */
  readonly retryAfter?: number;
}

/**
 * Errors API Gateway answers itself, before or instead of a handler: every response type API
 * Gateway has, each with a problem code whose status is the type's own documented status (only
 * MISSING_AUTHENTICATION_TOKEN is moved on purpose, from 403 to 404). The status is set on each
 * type, never on DEFAULT_4XX/DEFAULT_5XX: a status on a default rewrites every response type that
 * falls back to it (a 415 would become 400, a Lambda failure's 502 or a timeout's 504 a 500).
 */
export const problemGatewayResponses: readonly ProblemGatewayResponse[] = [
  {
    type: ResponseType.UNAUTHORIZED,
    code: 'unauthorized',
    detail: 'Send Authorization: Bearer <admin token or project API key>.',
  },
  {
    type: ResponseType.ACCESS_DENIED,
    code: 'forbidden',
    detail: 'These credentials may not call this route.',
  },
  // A REST API answers an unknown path or method with MISSING_AUTHENTICATION_TOKEN (403);
  // to a client that is simply "not found", as the twin's gateway says.
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    code: 'not_found',
    detail: 'No route matches this method and path.',
  },
  { type: ResponseType.RESOURCE_NOT_FOUND, code: 'not_found' },
  { type: ResponseType.INVALID_API_KEY, code: 'forbidden' },
  { type: ResponseType.EXPIRED_TOKEN, code: 'forbidden' },
  { type: ResponseType.INVALID_SIGNATURE, code: 'forbidden' },
  { type: ResponseType.WAF_FILTERED, code: 'forbidden' },
  { type: ResponseType.BAD_REQUEST_BODY, code: 'bad_request' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, code: 'bad_request' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, code: 'unsupported_media_type' },
  { type: ResponseType.REQUEST_TOO_LARGE, code: 'payload_too_large' },
  {
    type: ResponseType.THROTTLED,
    code: 'too_many_requests',
    detail: 'Slow down; retrying with the same Idempotency-Key is safe.',
    retryAfter: 1,
  },
  {
    type: ResponseType.QUOTA_EXCEEDED,
    code: 'too_many_requests',
    detail: 'Slow down; retrying with the same Idempotency-Key is safe.',
    retryAfter: 1,
  },
  { type: ResponseType.API_CONFIGURATION_ERROR, code: 'internal_error' },
  { type: ResponseType.AUTHORIZER_FAILURE, code: 'internal_error' },
  { type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR, code: 'internal_error' },
  {
    type: ResponseType.INTEGRATION_FAILURE,
    code: 'gateway_timeout',
    detail:
      'The function behind this route could not be reached; retrying with the same Idempotency-Key is safe.',
    retryAfter: 2,
  },
  {
    type: ResponseType.INTEGRATION_TIMEOUT,
    code: 'gateway_timeout',
    detail: 'The request timed out; retry with the same Idempotency-Key to get its outcome.',
    retryAfter: 2,
  },
];

/**
 * The fallbacks, for response types API Gateway may add later and for a failed Lambda proxy
 * integration (502). They keep the status API Gateway chose, so their body cannot claim one:
 * `status` is optional in RFC 9457 and left out here rather than stated wrongly.
 */
export const defaultGatewayResponses: readonly ProblemGatewayResponse[] = [
  { type: ResponseType.DEFAULT_4XX, code: 'bad_request' },
  {
    type: ResponseType.DEFAULT_5XX,
    code: 'internal_error',
    detail:
      'The gateway could not complete the request; retrying with the same Idempotency-Key is safe.',
  },
];

const GATEWAY_DETAIL = '__gateway_detail__';

/** The mapping template: `problem()`'s body, with API Gateway's message spliced in if wanted. */
export const problemTemplate = (
  { code, detail }: ProblemGatewayResponse,
  withStatus = true,
): string => {
  const { status, ...withoutStatus } = problem(code, detail ?? GATEWAY_DETAIL);
  return JSON.stringify(withStatus ? { ...withoutStatus, status } : withoutStatus).replace(
    `"${GATEWAY_DETAIL}"`,
    // messageString is the message already quoted and escaped as a JSON string.
    '$context.error.messageString',
  );
};

/** Adds every gateway response above to the API. */
export const addProblemGatewayResponses = (api: RestApi): void => {
  const add = (response: ProblemGatewayResponse, statusCode?: string) =>
    api.addGatewayResponse(response.type.responseType, {
      type: response.type,
      ...(statusCode && { statusCode }),
      responseHeaders: {
        'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
        ...(response.retryAfter && { 'Retry-After': `'${response.retryAfter}'` }),
      },
      templates: { 'application/json': problemTemplate(response, statusCode !== undefined) },
    });
  for (const response of problemGatewayResponses) {
    add(response, String(problem(response.code, '').status));
  }
  for (const response of defaultGatewayResponses) add(response);
};
