import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../lambdas/lib/domain/caller.ts';
import { bearerToken, identify, secretsEqual } from '../../../lambdas/lib/domain/credentials.ts';
import {
  authorize,
  authorizerContextOf,
  callerOf,
  scopeOf,
} from '../../../lambdas/lib/http/caller.ts';
import type { HttpError } from '../../../lambdas/lib/http/response.ts';

const project: Caller = { kind: 'project', projectId: 'prj_a', keyId: 'key1' };

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as HttpError).problem.code;
  }
};

describe('callers and route auth', () => {
  it('round-trips a caller through the authorizer context API Gateway passes on', () => {
    for (const caller of [{ kind: 'admin' }, project] as Caller[]) {
      const event = {
        requestContext: { authorizer: { ...authorizerContextOf(caller), principalId: 'p' } },
      } as unknown as APIGatewayProxyEvent;
      expect(callerOf(event)).toEqual(caller);
    }
  });

  it('treats a request without authorizer context as anonymous', () => {
    expect(callerOf({ requestContext: {} } as APIGatewayProxyEvent)).toEqual({ kind: 'anonymous' });
  });

  it('scopes idempotency per project, not per key', () => {
    expect(scopeOf(project)).toBe('project:prj_a');
    expect(scopeOf({ ...project, keyId: 'key2' } as Caller)).toBe('project:prj_a');
    expect(scopeOf({ kind: 'admin' })).toBe('admin');
  });

  it.each([
    ['none', { kind: 'anonymous' }, undefined, 'allowed'],
    ['admin', { kind: 'anonymous' }, undefined, 'unauthorized'],
    ['admin', { kind: 'admin' }, undefined, 'allowed'],
    ['admin', project, undefined, 'forbidden'],
    ['project', { kind: 'admin' }, 'prj_b', 'allowed'],
    ['project', project, 'prj_a', 'allowed'],
    ['project', project, 'prj_b', 'not_found'],
  ] as const)('on a %s route, %o for project %s is %s', (auth, caller, projectId, expected) => {
    expect(codeOf(() => authorize(auth, caller as Caller, projectId))).toBe(expected);
  });
});

describe('credentials', () => {
  it('reads a bearer token and nothing else', () => {
    expect(bearerToken('Bearer abc.DEF-123')).toBe('abc.DEF-123');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('compares secrets of any length without throwing', () => {
    expect(secretsEqual('same', 'same')).toBe(true);
    expect(secretsEqual('short', 'a much longer secret')).toBe(false);
  });

  it('identifies the admin token and nobody else', async () => {
    const deps = {
      adminToken: async () => 'the-admin-token',
      keys: { get: async () => undefined },
    };
    expect(await identify(deps, 'the-admin-token')).toEqual({ kind: 'admin' });
    expect(await identify(deps, 'the-admin-tokeN')).toBeUndefined();
    expect(await identify(deps, undefined)).toBeUndefined();
  });
});
