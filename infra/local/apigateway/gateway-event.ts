import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteDefinition } from '#lib/http/route-definition.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';

export const STAGE = 'v1';
export const LOCAL_API_ID = 'local';

/** A route of the route table with its path compiled to a regular expression. */
export interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

/**
 * `/projects/{projectId}` → `^/projects/([^/]+)$` with params `['projectId']`. Literal text is
 * escaped, so the `.` of `/openapi.json` matches a dot only.
 */
export const compileRoute = (route: RouteDefinition): CompiledRoute => {
  const params: string[] = [];
  const source = route.path
    .split(/(\{[A-Za-z0-9_]+\})/)
    .map((part) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(part)?.[1];
      if (param === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param);
      return '([^/]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}$`), params };
};

/** The `methodArn` API Gateway gives a TOKEN authorizer. */
export const methodArnOf = (method: string, path: string): string =>
  `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${LOCAL_API_ID}/${STAGE}/${method}${path}`;

/** Header names as the client spelled them (API Gateway keeps the case), single and multi. */
const headersOf = (req: IncomingMessage) => {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi };
};

/**
 * The path parameters of a matched route, percent-decoded as API Gateway hands them to the
 * function; undefined when one cannot be decoded (`%zz`, or bytes that are not UTF-8).
 */
export const pathParametersOf = (
  compiled: CompiledRoute,
  match: RegExpExecArray,
): Record<string, string> | undefined => {
  const params: Record<string, string> = {};
  for (const [i, name] of compiled.params.entries()) {
    try {
      params[name] = decodeURIComponent(match[i + 1] ?? '');
    } catch {
      return undefined;
    }
  }
  return params;
};

/** Builds the REST API (payload 1.0) proxy event API Gateway would send the route's function. */
export const proxyEvent = (options: {
  req: IncomingMessage;
  url: URL;
  path: string;
  compiled: CompiledRoute;
  pathParameters: Record<string, string>;
  body: string | null;
  authorizer: Record<string, unknown> | null;
  /** API Gateway's id of this request (answered as `x-amzn-RequestId`); a new one by default. */
  requestId?: string;
}): APIGatewayProxyEvent => {
  const { req, url, path, compiled, pathParameters, body, authorizer } = options;
  const headers = headersOf(req);
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    query[key] = value;
    multiQuery[key] = [...(multiQuery[key] ?? []), value];
  }
  const method = req.method ?? 'GET';
  return {
    resource: compiled.route.path,
    path,
    httpMethod: method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: url.searchParams.size > 0 ? query : null,
    multiValueQueryStringParameters: url.searchParams.size > 0 ? multiQuery : null,
    pathParameters: compiled.params.length > 0 ? pathParameters : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: LOCAL_API_ID,
      authorizer,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      path: `/${STAGE}${path}`,
      stage: STAGE,
      requestId: options.requestId ?? randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: compiled.route.name,
      resourcePath: compiled.route.path,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
};
