import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, readBody, serve } from '../apigateway/http-server.ts';
import { AwsError } from './aws-error.ts';

/** One operation of an AWS JSON-protocol API, keyed by its `X-Amz-Target`. */
export type JsonOperation = (request: Record<string, unknown>) => unknown;

/** One operation of an AWS REST-JSON API (EventBridge Scheduler), matched by method and path. */
export interface RestOperation {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (
    match: RegExpExecArray,
    body: Record<string, unknown>,
    query: URLSearchParams,
  ) => unknown;
}

/**
 * The twin's stand-in for the AWS APIs its handlers call (Step Functions now; EventBridge and
 * Scheduler later), on one loopback port that the `AWS_ENDPOINT_URL_*` variables point at, so
 * handlers use the real SDK clients unchanged. Requests are not signature-checked.
 */
export class LocalAwsEndpoint {
  private readonly json = new Map<string, JsonOperation>();
  private readonly rest: RestOperation[] = [];
  private server: LocalServer | undefined;

  addJson(operations: Record<string, JsonOperation>): void {
    for (const [target, operation] of Object.entries(operations)) this.json.set(target, operation);
  }

  addRest(...operations: RestOperation[]): void {
    this.rest.push(...operations);
  }

  async listen(): Promise<string> {
    this.server = await serve((req, res) => this.serve(req, res), 0, '127.0.0.1');
    return `http://127.0.0.1:${this.server.port}`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = (await readBody(req)) ?? '';
    try {
      const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      const result = await this.dispatch(req, body);
      send(res, 200, result ?? {});
    } catch (error) {
      const aws =
        error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500);
      res.setHeader('x-amzn-ErrorType', aws.type);
      send(res, aws.status, { __type: aws.type, message: aws.message });
    }
  }

  private async dispatch(req: IncomingMessage, body: Record<string, unknown>): Promise<unknown> {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const operation = this.json.get(target);
      if (!operation)
        throw new AwsError('UnknownOperationException', `The twin does not serve ${target}`);
      return operation(body);
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    for (const operation of this.rest) {
      const match = req.method === operation.method ? operation.pattern.exec(path) : null;
      if (match) return operation.handle(match, body, url.searchParams);
    }
    throw new AwsError(
      'UnknownOperationException',
      `The twin does not serve ${req.method} ${path}`,
      404,
    );
  }
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify(body));
};
