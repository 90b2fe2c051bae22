import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { routeNamed } from '../../http/routes.ts';
import { isValidIdempotencyKey } from '../ids.ts';
import { instrumented, logger } from '../observability.ts';
import { authorize, type Caller, callerOf, scopeOf } from './caller.ts';
import type { IdempotencyRunner } from './idempotency.ts';
import { problem } from './problem.ts';
import { headerOf, readJsonBody, readPathParams } from './request.ts';
import { HttpError, problemResponse, ResponseAsError, withHeaders } from './response.ts';

/** What a route's use case receives once the request has been checked. */
export interface RouteRequest<P, B> {
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
  readonly caller: Caller;
  readonly params: P;
  readonly body: B;
  /** The client's Idempotency-Key, or a generated UUID; empty for reads. */
  readonly idempotencyKey: string;
}

export interface RouteSpec<P, B> {
  /** The route's function name in `lambdas/http/routes.ts`; its auth rule comes from there. */
  readonly name: string;
  readonly params?: z.ZodType<P>;
  readonly body?: z.ZodType<B>;
  /** Present on mutating routes that replay stored responses (DESIGN §3). */
  readonly idempotency?: {
    readonly ttlSeconds: number;
    readonly operationKey: (request: RouteRequest<P, B>) => string;
  };
  readonly handle: (request: RouteRequest<P, B>) => Promise<APIGatewayProxyResult>;
}

/**
 * Builds an API Gateway handler from a route spec: auth → Idempotency-Key → path params → body →
 * (idempotent) use case → response. Every failure is problem+json; only a bug is a 500.
 * Nothing is written before validation has passed.
 */
export const httpRoute = <P = Record<string, never>, B = Record<string, never>>(
  spec: RouteSpec<P, B>,
  idempotency?: IdempotencyRunner,
) => {
  const route = routeNamed(spec.name);
  if (spec.idempotency && !idempotency) {
    throw new Error(`Route ${spec.name} is idempotent but got no idempotency runner`);
  }
  const mutating = route.method !== 'GET';
  return instrumented(
    async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
      let echo: Record<string, string> = {};
      try {
        const caller = callerOf(event);
        authorize(route.auth, caller, event.pathParameters?.projectId);
        const idempotencyKey = mutating ? idempotencyKeyOf(event) : '';
        if (mutating) echo = { 'Idempotency-Key': idempotencyKey };
        const request: RouteRequest<P, B> = {
          event,
          context,
          caller,
          idempotencyKey,
          params: spec.params ? readPathParams(event, spec.params) : ({} as P),
          body: spec.body ? readJsonBody(event, spec.body) : ({} as B),
        };
        const response =
          spec.idempotency && idempotency
            ? await idempotency({
                operationKey: spec.idempotency.operationKey(request),
                ttlSeconds: spec.idempotency.ttlSeconds,
                scope: scopeOf(caller),
                fingerprint: { method: event.httpMethod, path: event.path, body: request.body },
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

const idempotencyKeyOf = (event: APIGatewayProxyEvent): string => {
  const given = headerOf(event, 'idempotency-key');
  if (given === undefined) return randomUUID();
  if (!isValidIdempotencyKey(given)) {
    throw new HttpError(
      'idempotency_key_invalid',
      'Idempotency-Key must be 1 to 255 printable ASCII characters',
    );
  }
  return given;
};

const errorResponse = (error: unknown): APIGatewayProxyResult => {
  if (error instanceof ResponseAsError) return error.response;
  if (error instanceof HttpError) return problemResponse(error.problem, error.headers);
  if (error instanceof Error && error.name === 'NotFound') {
    return problemResponse(problem('not_found', error.message));
  }
  if (error instanceof Error && error.name === 'IdempotencyKeyReused') {
    return problemResponse(problem('idempotency_key_reused', error.message));
  }
  logger.error('Unhandled error', { error });
  return problemResponse(problem('internal_error', 'Unexpected error; it has been logged'));
};
