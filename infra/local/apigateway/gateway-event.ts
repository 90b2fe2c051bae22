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

/**
 * Name/value pairs as API Gateway's single- and multi-value maps: the last value, and all of them.
 * Collected in a Map and turned into own properties, as the JSON event Lambda parses has them: a
 * name like `constructor` or `__proto__` is a client's header or query name like any other, never
 * an inherited property (reading `obj[name]` on a plain object once answered such a request 502).
 */
const singleAndMulti = (pairs: Iterable<[string, string]>) => {
  const all = new Map<string, string[]>();
  for (const [name, value] of pairs) all.set(name, [...(all.get(name) ?? []), value]);
  return {
    single: Object.fromEntries([...all].map(([name, values]) => [name, values.at(-1) as string])),
    multi: Object.fromEntries(all),
  };
};

/** Header names as the client spelled them (API Gateway keeps the case), single and multi. */
const headersOf = (req: IncomingMessage) => {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    pairs.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
  }
  return singleAndMulti(pairs);
};

/**
 * The path parameters of a matched route, percent-decoded as API Gateway hands them to the
 * function. The gateway refuses a path that does not decode before it matches routes, so every
 * segment here decodes.
 */
export const pathParametersOf = (
  compiled: CompiledRoute,
  match: RegExpExecArray,
): Record<string, string> =>
  Object.fromEntries(
    compiled.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
  );

/**
 * Builds the REST API (payload 1.0) proxy event API Gateway would send the route's function. The
 * stack declares every media type binary (`*~1*` in the template), so a body arrives as its bytes
 * in base64, never as text decoded on the way.
 */
export const proxyEvent = (options: {
  req: IncomingMessage;
  url: URL;
  path: string;
  compiled: CompiledRoute;
  pathParameters: Record<string, string>;
  body: Buffer | null;
  authorizer: Record<string, unknown> | null;
  /** API Gateway's id of this request (answered as `x-amzn-RequestId`); a new one by default. */
  requestId?: string;
}): APIGatewayProxyEvent => {
  const { req, url, path, compiled, pathParameters, body, authorizer } = options;
  const headers = headersOf(req);
  const { single: query, multi: multiQuery } = singleAndMulti(url.searchParams);
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
    body: body === null ? null : body.toString('base64'),
    isBase64Encoded: body !== null,
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
