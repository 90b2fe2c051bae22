import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { streamConsumers } from '../../lambdas/events/consumers.ts';
import { eventFunctions } from '../../lambdas/events/functions.ts';
import { authorizer, routes } from '../../lambdas/http/routes.ts';
import { steps } from '../../lambdas/steps/registry.ts';
import { AWS_LIMITS, payloadSize } from './aws-limits.ts';
import { lambdaContext } from './lambda-context.ts';

/** Lambda refused a request or a response over its payload limit; `name` is AWS's error type. */
export class LambdaPayloadTooLarge extends Error {
  constructor(
    name: 'RequestEntityTooLargeException' | 'Function.ResponseSizeTooLarge',
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

/** A Lambda handler as the twin calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Repository root: handler entries in the route table and step registry are relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The twin's "Lambda service": every function of the route table and step registry, imported on
 * first use from the same entry file CDK bundles. Import happens after the twin has set the
 * environment, so each handler's cold-start configuration reads the twin's endpoints.
 */
export class LocalFunctions {
  private readonly entries = new Map<string, string>();
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();

  constructor(extra: readonly { name: string; entry: string }[] = []) {
    for (const fn of [
      ...routes,
      authorizer,
      ...steps,
      ...streamConsumers,
      ...eventFunctions,
      ...extra,
    ])
      this.entries.set(fn.name, fn.entry);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * Invokes a function by name with a fresh Lambda context. Lambda's 6 MB limits hold both ways:
   * a larger request is refused before the handler runs (RequestEntityTooLargeException), a
   * larger response fails the invocation (Function.ResponseSizeTooLarge) after it ran.
   */
  async invoke(name: string, event: unknown, timeoutMs?: number): Promise<unknown> {
    const handler = await this.load(name);
    const requestBytes = payloadSize(event);
    if (requestBytes > AWS_LIMITS.lambdaPayloadBytes) {
      throw new LambdaPayloadTooLarge(
        'RequestEntityTooLargeException',
        `${requestBytes} byte payload is too large for the RequestResponse invocation type (limit ${AWS_LIMITS.lambdaPayloadBytes} bytes)`,
      );
    }
    const result = await handler(event, lambdaContext(name, timeoutMs));
    const responseBytes = payloadSize(result);
    if (responseBytes > AWS_LIMITS.lambdaPayloadBytes) {
      throw new LambdaPayloadTooLarge(
        'Function.ResponseSizeTooLarge',
        `Response payload size (${responseBytes} bytes) exceeded maximum allowed payload size (${AWS_LIMITS.lambdaPayloadBytes} bytes).`,
      );
    }
    return result;
  }

  /** Imports every function now, so the first request does not pay for it. */
  async warm(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.load(name)));
  }

  /**
   * Imports a function's module (once). The twin compiles TypeScript sources on import, which on a
   * slow machine can take longer than a whole Lambda init; callers that time an invocation (the
   * gateway's integration timeout) load first, so the clock covers the handler, not the compiler.
   */
  load(name: string): Promise<LambdaHandler> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.reject(new Error(`The twin has no function named ${name}`));
    let handler = this.loaded.get(name);
    if (!handler) {
      handler = import(pathToFileURL(resolve(REPO_ROOT, entry)).href).then((module) => {
        if (typeof module.handler !== 'function') throw new Error(`${entry} exports no handler`);
        return module.handler as LambdaHandler;
      });
      this.loaded.set(name, handler);
    }
    return handler;
  }
}
