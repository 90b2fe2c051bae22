import type { APIGatewayProxyEvent } from 'aws-lambda';

/** A REST API proxy event for POST /v1/projects as the admin, shaped as the twin's gateway makes it. */
export const provisionEvent = (key: string): APIGatewayProxyEvent =>
  ({
    resource: '/projects',
    path: '/projects',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify({ name: `Bench ${key}`, ownerEmail: 'bench@example.com' }),
    isBase64Encoded: false,
    requestContext: {
      authorizer: { role: 'admin', principalId: 'admin' },
      requestId: key,
      path: '/v1/projects',
      stage: 'v1',
    },
  }) as unknown as APIGatewayProxyEvent;

/** POST /v1/projects/{projectId}/keys as the admin. */
export const createKeyEvent = (projectId: string, key: string): APIGatewayProxyEvent =>
  ({
    ...provisionEvent(key),
    resource: '/projects/{projectId}/keys',
    path: `/projects/${projectId}/keys`,
    pathParameters: { projectId },
    body: '{}',
  }) as APIGatewayProxyEvent;

/** The TOKEN authorizer event API Gateway sends for a bearer token. */
export const authorizerEvent = (token: string) => ({
  type: 'TOKEN',
  authorizationToken: `Bearer ${token}`,
  methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/v1/GET/projects',
});
