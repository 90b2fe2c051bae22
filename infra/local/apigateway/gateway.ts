import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from 'aws-lambda';
import { authorizer, routes } from '../../../lambdas/http/routes.ts';
import { problem } from '../../../lambdas/lib/http/problem.ts';
import { problemResponse } from '../../../lambdas/lib/http/response.ts';
import type { ProblemCode } from '../../../lambdas/lib/problem-codes.ts';
import { AWS_LIMITS } from '../aws/aws-limits.ts';
import { LambdaPayloadTooLarge, type LocalFunctions } from '../lambda/functions.ts';
import {
  type CompiledRoute,
  compileRoute,
  methodArnOf,
  pathParametersOf,
  proxyEvent,
  STAGE,
} from './gateway-event.ts';
import { type LocalServer, readBodyBytes, serve } from './http-server.ts';

/** API Gateway's own payload limit; the handlers enforce the API's 64 KiB themselves. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A twin-only route under `/v1/_dev/` (admin token required); never deployed. */
export interface DevRoute {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly handle: (body: unknown) => Promise<unknown> | unknown;
}

/**
 * The twin's API Gateway: serves the route table under `/v1`, runs the same TOKEN authorizer and
 * calls the same handlers in process with REST API proxy events. What API Gateway answers by
 * itself (unknown route, missing token, oversize body, a failing function) is answered here with
 * the same problem+json bodies CDK configures as gateway responses.
 */
export class LocalGateway {
  private readonly compiled: CompiledRoute[] = routes.map((route) => compileRoute(route));
  private server: LocalServer | undefined;

  constructor(
    private readonly functions: LocalFunctions,
    private readonly devRoutes: readonly DevRoute[],
    /** API Gateway's integration timeout; only tests of the timeout itself shorten it. */
    private readonly integrationTimeoutMs: number = AWS_LIMITS.gatewayIntegrationTimeoutMs,
  ) {}

  async listen(port: number, host: string): Promise<string> {
    this.server = await serve((req, res) => this.serve(req, res), port, host);
    return `http://${host}:${this.server.port}/${STAGE}`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /**
   * Every request gets an id, as in API Gateway: the function sees it as
   * `requestContext.requestId` (the correlation id of what the request starts) and the client as
   * the `x-amzn-RequestId` header, on gateway answers too.
   */
  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let result: APIGatewayProxyResult;
    try {
      result = await this.answer(req, requestId);
    } catch (error) {
      result =
        error instanceof LambdaPayloadTooLarge && error.name === 'RequestEntityTooLargeException'
          ? // What API Gateway answers when Lambda refuses the event: not a gateway response
            // it lets us customise, so not problem+json either.
            {
              statusCode: 413,
              headers: { 'Content-Type': 'application/json' },
              body: '{"message": "Request Too Long"}',
            }
          : gatewayProblem('bad_gateway', 'The function behind this route failed');
      if (result.statusCode >= 500) console.error('twin gateway:', error);
    }
    res.writeHead(result.statusCode, {
      ...(result.headers as Record<string, string>),
      'x-amzn-RequestId': requestId,
    });
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  private async answer(req: IncomingMessage, requestId: string): Promise<APIGatewayProxyResult> {
    // The request target is taken as a path: `//x` is not a host, as it is not for API Gateway.
    let url: URL;
    try {
      url = new URL(`http://twin${req.url ?? '/'}`);
    } catch {
      return gatewayProblem('invalid_path', 'The request path cannot be parsed');
    }
    const prefix = `/${STAGE}`;
    if (!url.pathname.startsWith(`${prefix}/`)) return gatewayProblem('not_found', 'No such route');
    const path = url.pathname.slice(prefix.length);
    if (!isDecodable(path)) {
      return gatewayProblem('invalid_path', 'The path is not valid percent-encoded UTF-8');
    }
    const body = await readBodyBytes(req, GATEWAY_MAX_BODY_BYTES);
    if (body === undefined) return gatewayProblem('payload_too_large', 'Request body too large');

    const method = req.method ?? 'GET';
    const dev = this.devRoutes.find((r) => r.method === method && `/_dev${r.path}` === path);
    if (dev) return this.serveDev(req, dev, body.toString('utf8'));

    for (const compiled of this.compiled) {
      const match = compiled.route.method === method ? compiled.pattern.exec(path) : null;
      if (!match) continue;
      const pathParameters = pathParametersOf(compiled, match);
      let context: Record<string, unknown> | null = null;
      if (compiled.route.auth !== 'none') {
        const verdict = await this.authorize(req, method, path);
        if ('problem' in verdict) return verdict.problem;
        context = verdict.context;
      }
      const event = proxyEvent({
        req,
        url,
        path,
        compiled,
        pathParameters,
        body: body.length === 0 ? null : body,
        authorizer: context,
        requestId,
      });
      return this.integrate(compiled.route.name, event);
    }
    return gatewayProblem('not_found', 'No such route');
  }

  /**
   * Invokes a route's function as API Gateway's Lambda proxy integration does: past the
   * integration timeout the client gets 504 while the function runs on to its own end (AWS does
   * not stop a Lambda when the gateway gives up on it, so its effects may still happen).
   */
  private async integrate(name: string, event: unknown): Promise<APIGatewayProxyResult> {
    await this.functions.load(name);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<APIGatewayProxyResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve(
            gatewayProblem(
              'gateway_timeout',
              `No answer within ${this.integrationTimeoutMs / 1000} s (API Gateway's integration timeout)`,
            ),
          ),
        this.integrationTimeoutMs,
      );
    });
    const invoked = this.functions.invoke(name, event) as Promise<APIGatewayProxyResult>;
    // A function that fails after the gateway gave up is nobody's answer any more.
    invoked.catch(() => undefined);
    try {
      return await Promise.race([invoked, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the TOKEN authorizer as API Gateway does (no cache: revocation applies at once). */
  private async authorize(
    req: IncomingMessage,
    method: string,
    path: string,
  ): Promise<{ context: Record<string, unknown> } | { problem: APIGatewayProxyResult }> {
    const token = req.headers.authorization;
    if (!token) return { problem: gatewayProblem('unauthorized', 'Send a bearer token') };
    let result: APIGatewayAuthorizerResult;
    try {
      result = (await this.functions.invoke(authorizer.name, {
        type: 'TOKEN',
        authorizationToken: token,
        methodArn: methodArnOf(method, path),
      })) as APIGatewayAuthorizerResult;
    } catch (error) {
      if ((error as Error).message === 'Unauthorized') {
        return { problem: gatewayProblem('unauthorized', 'Send a valid bearer token') };
      }
      throw error;
    }
    const allowed = result.policyDocument.Statement.some(
      (s) => 'Effect' in s && s.Effect === 'Allow',
    );
    if (!allowed) return { problem: gatewayProblem('forbidden', 'Not allowed for this caller') };
    return { context: { ...result.context, principalId: result.principalId } };
  }

  private async serveDev(
    req: IncomingMessage,
    route: DevRoute,
    body: string,
  ): Promise<APIGatewayProxyResult> {
    const verdict = await this.authorize(req, route.method, `/_dev${route.path}`);
    if ('problem' in verdict) return verdict.problem;
    if (verdict.context.role !== 'admin')
      return gatewayProblem('forbidden', 'Dev routes need the admin token');
    let input: unknown = {};
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      return gatewayProblem('malformed_json', 'The request body is not valid JSON');
    }
    try {
      const output = await route.handle(input);
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(output ?? {}),
      };
    } catch (error) {
      return gatewayProblem('bad_request', (error as Error).message);
    }
  }
}

/** True when every percent escape of the path decodes, to UTF-8. */
const isDecodable = (path: string): boolean => {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
};

const gatewayProblem = (code: ProblemCode, detail: string): APIGatewayProxyResult =>
  problemResponse(problem(code, detail));
