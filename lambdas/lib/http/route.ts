import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Caller } from '../domain/caller.ts';
import { DomainError } from '../errors.ts';
import { instrumented, logger } from '../observability.ts';
import type * as z from '../zod.ts';
import { authorize, callerOf, scopeOf } from './caller.ts';
import type { IdempotencyRunner } from './idempotency.ts';
import { idempotencyKeyHeader, idempotencyKeyOf } from './idempotency-key.ts';
import { problem } from './problem.ts';
import {
  assertNoBody,
  assertPlainHeaders,
  readJsonBody,
  readPathParams,
  readQuery,
} from './request.ts';
import { HttpError, problemResponse, ResponseAsError, withHeaders } from './response.ts';
import type { RouteDefinition } from './route-definition.ts';

/** What a route's use case receives once the request has been checked. */
export interface RouteRequest<P, B, Q = Record<string, never>> {
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
  readonly caller: Caller;
  readonly params: P;
  readonly body: B;
  readonly query: Q;
  /** The client's Idempotency-Key, or a generated UUID; empty for reads. */
  readonly idempotencyKey: string;
  /** API Gateway's request id: every execution the request starts carries it as `correlationId`. */
  readonly correlationId: string;
}

/**
 * A handler's spec. Handlers spread their route contract (`lambdas/http/contracts.ts`) into it,
 * which brings the route row and the schemas the OpenAPI document is built from; the contract's
 * other members are for the document and are not read here.
 */
export interface RouteSpec<P, B, Q> {
  /** The route's row of the route table (`lambdas/http/routes.ts`): method, auth rule, name. */
  readonly route: RouteDefinition;
  readonly params?: z.ZodMiniType<P>;
  readonly body?: z.ZodMiniType<B>;
  readonly query?: z.ZodMiniType<Q>;
  /**
   * The body carries client-owned JSON (an event's `data`), whose numbers are the client's to
   * write; every other body holds whole numbers only, refused when written with a fraction.
   */
  readonly clientJson?: boolean;
  /** Present on mutating routes that replay stored responses (docs/api.md). */
  readonly idempotency?: {
    readonly ttlSeconds: number;
    /** The operation key (docs/api.md), and the project it concerns (the record id carries both). */
    readonly operation: (request: RouteRequest<P, B, Q>) => { key: string; projectId: string };
    /** What a repeat's body is compared by; the validated body unless the route keeps raw JSON. */
    readonly fingerprintBody?: (request: RouteRequest<P, B, Q>) => unknown;
  };
  readonly handle: (request: RouteRequest<P, B, Q>) => Promise<APIGatewayProxyResult>;
}

/**
 * Builds an API Gateway handler from a route spec: auth → Idempotency-Key → path params → body →
 * (idempotent) use case → response. Every failure is problem+json; only a bug is a 500.
 * Nothing is written before validation has passed.
 */
export const httpRoute = <
  P = Record<string, never>,
  B = Record<string, never>,
  Q = Record<string, never>,
>(
  spec: RouteSpec<P, B, Q>,
  idempotency?: IdempotencyRunner,
) => {
  const { route } = spec;
  if (spec.idempotency && !idempotency) {
    throw new Error(`Route ${route.name} is idempotent but got no idempotency runner`);
  }
  const mutating = route.method !== 'GET';
  return instrumented(
    async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
      let echo: Record<string, string> = {};
      try {
        assertPlainHeaders(event);
        const caller = callerOf(event);
        authorize(route.auth, caller, event.pathParameters?.projectId);
        const idempotencyKey = mutating ? idempotencyKeyOf(event) : '';
        if (mutating) echo = { 'Idempotency-Key': idempotencyKeyHeader(idempotencyKey) };
        const request: RouteRequest<P, B, Q> = {
          event,
          context,
          caller,
          idempotencyKey,
          correlationId: event.requestContext?.requestId ?? context.awsRequestId,
          params: spec.params ? readPathParams(event, spec.params) : ({} as P),
          body: spec.body
            ? readJsonBody(event, spec.body, { wholeNumbersOnly: !spec.clientJson })
            : noBody<B>(event),
          query: spec.query ? readQuery(event, spec.query) : ({} as Q),
        };
        const operation = spec.idempotency?.operation(request);
        const response =
          spec.idempotency && operation && idempotency
            ? await idempotency({
                operationKey: operation.key,
                projectId: operation.projectId,
                ttlSeconds: spec.idempotency.ttlSeconds,
                scope: scopeOf(caller),
                fingerprint: {
                  method: event.httpMethod,
                  path: canonicalPath(route, request.params),
                  body: spec.idempotency.fingerprintBody?.(request) ?? request.body,
                },
                context,
                execute: () => spec.handle(request),
              })
            : await spec.handle(request);
        return withHeaders(response, echo);
      } catch (error) {
        return withHeaders(errorResponse(error), echo);
      }
    },
  );
};

const noBody = <B>(event: APIGatewayProxyEvent): B => {
  assertNoBody(event);
  return {} as B;
};

/**
 * The path as the route names it, with the validated (decoded) path parameters: `/projects/%70rj_…`
 * and `/projects/prj_…` are one resource, so a retry spelled either way is the same request.
 */
const canonicalPath = (route: RouteDefinition, params: unknown): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    String((params as Record<string, unknown>)[name] ?? ''),
  );

/**
 * Turns an error into the response: an HTTP answer as built, a domain error with a problem code as
 * that problem, anything else as a logged 500.
 */
const errorResponse = (error: unknown): APIGatewayProxyResult => {
  if (error instanceof ResponseAsError) return error.response;
  if (error instanceof HttpError) return problemResponse(error.problem, error.headers);
  if (error instanceof DomainError && error.problemCode) {
    return problemResponse(problem(error.problemCode, error.message));
  }
  logger.error('Unhandled error', { error });
  return problemResponse(problem('internal_error', 'Unexpected error; it has been logged'));
};
