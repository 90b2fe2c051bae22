import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../domain/caller.ts';
import { HttpError } from './response.ts';
import type { RouteAuth } from './route-definition.ts';

/** Context the authorizer hands API Gateway; API Gateway passes it on as strings. */
export type AuthorizerContext = Record<string, string>;

/** The authorizer's half of the contract: a caller as API Gateway authorizer context. */
export const authorizerContextOf = (caller: Caller): AuthorizerContext =>
  caller.kind === 'project'
    ? { role: 'project', projectId: caller.projectId, keyId: caller.keyId }
    : { role: caller.kind };

/** The handler's half: reads the caller back from `requestContext.authorizer`. */
export const callerOf = (event: APIGatewayProxyEvent): Caller => {
  const context = (event.requestContext?.authorizer ?? {}) as Record<string, unknown>;
  if (context.role === 'admin') return { kind: 'admin' };
  if (
    context.role === 'project' &&
    typeof context.projectId === 'string' &&
    typeof context.keyId === 'string'
  ) {
    return { kind: 'project', projectId: context.projectId, keyId: context.keyId };
  }
  return { kind: 'anonymous' };
};

/**
 * The idempotency scope of a caller: keys are scoped to the caller (docs/api.md). A project's keys
 * share one scope, so a retry with a rotated key still replays.
 */
export const scopeOf = (caller: Caller): string =>
  caller.kind === 'project' ? `project:${caller.projectId}` : caller.kind;

/**
 * Applies a route's auth rule. A project key on an admin route gets 403; on another project's
 * path it gets 404, so it cannot learn which projects exist.
 */
export const authorize = (auth: RouteAuth, caller: Caller, pathProjectId?: string): void => {
  if (auth === 'none' || caller.kind === 'admin') return;
  if (caller.kind === 'anonymous') throw new HttpError('unauthorized', 'Send a valid bearer token');
  if (auth === 'admin') throw new HttpError('forbidden', 'This route needs the admin token');
  if (pathProjectId !== caller.projectId) throw new HttpError('not_found', 'No such project');
};
