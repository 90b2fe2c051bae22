import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidCursor } from '../../../lambdas/lib/adapters/dynamo-audit.ts';
import { ActivityRejected } from '../../../lambdas/lib/domain/activity-config.ts';
import { InvalidSchedule } from '../../../lambdas/lib/domain/schedule.ts';
import { InvalidWebhookUrl } from '../../../lambdas/lib/domain/webhook-url.ts';
import {
  DomainError,
  IdempotencyKeyReused,
  NotFound,
  ProjectStateConflict,
} from '../../../lambdas/lib/errors.ts';
import { httpRoute } from '../../../lambdas/lib/http/route.ts';
import type { RouteDefinition } from '../../../lambdas/lib/http/route-definition.ts';

const route = (auth: RouteDefinition['auth']): RouteDefinition => ({
  method: 'GET',
  path: '/things',
  name: 'GetThings',
  entry: 'test-only',
  auth,
  access: {},
});

const event = { requestContext: {}, headers: {}, httpMethod: 'GET', path: '/v1/things' };
const context = { functionName: 'GetThings', awsRequestId: 'r1' } as unknown as Context;

/** Answers one request on a route whose use case throws `error`. */
const answerTo = async (error: Error) => {
  const handler = httpRoute({
    route: route('none'),
    handle: async () => {
      throw error;
    },
  });
  const response = await handler(event as unknown as APIGatewayProxyEvent, context);
  return { status: response.statusCode, code: JSON.parse(response.body).code };
};

describe('httpRoute', () => {
  it('answers an error with the problem code and status the error carries', async () => {
    const errors: DomainError[] = [
      new NotFound('gone'),
      new ProjectStateConflict('busy'),
      new IdempotencyKeyReused('other request'),
      new InvalidSchedule('bad cron'),
      new InvalidWebhookUrl('private_address', 'private'),
      new ActivityRejected('too many'),
      new InvalidCursor(),
    ];
    for (const error of errors) {
      expect(await answerTo(error), error.name).toEqual({
        status: error.httpStatus,
        code: error.problemCode,
      });
    }
    expect(await answerTo(new NotFound('gone'))).toEqual({ status: 404, code: 'not_found' });
  });

  it('answers 500 for an error without a code, whatever its name', async () => {
    const impostor = Object.assign(new Error('looks like one'), { name: 'NotFound' });
    expect(await answerTo(impostor)).toEqual({ status: 500, code: 'internal_error' });
    expect(await answerTo(new DomainError('a failure'))).toEqual({
      status: 500,
      code: 'internal_error',
    });
  });

  it('applies the auth rule of the route definition it is given', async () => {
    const handler = httpRoute({
      route: route('admin'),
      handle: async () => ({ statusCode: 200, body: '' }),
    });
    const response = await handler(event as unknown as APIGatewayProxyEvent, context);
    expect(response.statusCode).toBe(401);
  });
});
