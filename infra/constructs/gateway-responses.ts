import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { PROBLEM_CONTENT_TYPE, type ProblemCode, problem } from '#lib/http/problem.ts';

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
 * Errors API Gateway answers itself, before or instead of a handler. Each gets the HTTP status of
 * its problem code, so the body's `status` never disagrees with the response.
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
  { type: ResponseType.REQUEST_TOO_LARGE, code: 'payload_too_large' },
  {
    type: ResponseType.THROTTLED,
    code: 'too_many_requests',
    detail: 'Slow down; retrying with the same Idempotency-Key is safe.',
    retryAfter: 1,
  },
  {
    type: ResponseType.INTEGRATION_TIMEOUT,
    code: 'service_unavailable',
    detail: 'The request timed out; retry with the same Idempotency-Key to get its outcome.',
    retryAfter: 2,
  },
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
export const problemTemplate = ({ code, detail }: ProblemGatewayResponse): string =>
  JSON.stringify(problem(code, detail ?? GATEWAY_DETAIL)).replace(
    `"${GATEWAY_DETAIL}"`,
    // messageString is the message already quoted and escaped as a JSON string.
    '$context.error.messageString',
  );

/** Adds every gateway response above to the API. */
export const addProblemGatewayResponses = (api: RestApi): void => {
  for (const response of problemGatewayResponses) {
    api.addGatewayResponse(response.type.responseType, {
      type: response.type,
      statusCode: String(problem(response.code, '').status),
      responseHeaders: {
        'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
        ...(response.retryAfter && { 'Retry-After': `'${response.retryAfter}'` }),
      },
      templates: { 'application/json': problemTemplate(response) },
    });
  }
};
