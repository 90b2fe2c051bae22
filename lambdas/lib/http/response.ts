import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ProblemCode } from '../problem-codes.ts';
import { PROBLEM_CONTENT_TYPE, type Problem, problem } from './problem.ts';

export type Headers = Record<string, string>;

/** A JSON response. The body is serialised once here, so a stored replay is byte-identical. */
export const json = (statusCode: number, body: unknown, headers: Headers = {}) =>
  ({
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }) satisfies APIGatewayProxyResult;

/** A problem+json response for a problem body. */
export const problemResponse = (body: Problem, headers: Headers = {}): APIGatewayProxyResult => ({
  statusCode: body.status,
  headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers },
  body: JSON.stringify(body),
});

/**
 * An error that is an HTTP answer: thrown anywhere below a route, turned into problem+json by
 * the route wrapper. `headers` carries extras such as `Retry-After`.
 */
export class HttpError extends Error {
  readonly problem: Problem;
  readonly headers: Headers;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { extensions?: Record<string, unknown>; headers?: Headers; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'HttpError';
    this.problem = problem(code, detail, options.extensions);
    this.headers = options.headers ?? {};
  }
}

/** Returns a copy of a response with extra headers. */
export const withHeaders = (
  response: APIGatewayProxyResult,
  headers: Headers,
): APIGatewayProxyResult => ({ ...response, headers: { ...response.headers, ...headers } });

/** A finished non-2xx response travelling as an error (so it is not stored); returned as is. */
export class ResponseAsError extends Error {
  constructor(readonly response: APIGatewayProxyResult) {
    super(`Response ${response.statusCode}`);
    this.name = 'ResponseAsError';
  }
}
