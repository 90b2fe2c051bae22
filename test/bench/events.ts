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
