import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { streamConsumers } from '../../../lambdas/events/consumers.ts';
import { eventFunctions } from '../../../lambdas/events/functions.ts';
import { authorizer, routes } from '../../../lambdas/http/routes.ts';
import {
  FUNCTION_TIMEOUT_SECONDS,
  type FunctionKind,
} from '../../../lambdas/lib/function-settings.ts';
import { steps } from '../../../lambdas/steps/registry.ts';
import { AWS_LIMITS, payloadSize } from '../aws/aws-limits.ts';
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

/**
 * The invocation ran past the function's timeout. Lambda reports it with this error type, and
 * Step Functions names the failed Task's error after it; the handler's effects already on their
 * way may still land (in the twin it runs on in the background).
 */
export class LambdaTimedOut extends Error {
  constructor(requestId: string, seconds: number) {
    super(
      `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`,
    );
    this.name = 'Sandbox.Timedout';
  }
}

/** A Lambda handler as the twin calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Repository root: handler entries in the route table and step registry are relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * The twin's "Lambda service": every function of the route table and step registry, imported on
 * first use from the same entry file CDK bundles. Import happens after the twin has set the
 * environment, so each handler's cold-start configuration reads the twin's endpoints.
 */
export class LocalFunctions {
  private readonly entries = new Map<string, { entry: string; kind: FunctionKind }>();
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();

  /**
   * `timeoutFactor` multiplies every function's timeout (default 1: AWS's). Only the integration
   * tests raise it, for CPU-starved CI machines; `test/integration/aws-limits.test.ts` runs at 1.
   */
  constructor(
    extra: readonly { name: string; entry: string }[] = [],
    private readonly timeoutFactor = 1,
  ) {
    const kinds: [readonly { name: string; entry: string }[], FunctionKind][] = [
      [[...routes, authorizer], 'api'],
      [steps, 'step'],
      [streamConsumers, 'stream'],
      [eventFunctions, 'event'],
      [extra, 'api'],
    ];
    for (const [functions, kind] of kinds)
      for (const fn of functions) this.entries.set(fn.name, { entry: fn.entry, kind });
  }

  /** The function's timeout in seconds, as CDK configures it. */
  timeoutSeconds(name: string): number {
    const kind = this.entries.get(name)?.kind;
    if (!kind) throw new Error(`The twin has no function named ${name}`);
    return FUNCTION_TIMEOUT_SECONDS[kind];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * Invokes a function by name with a fresh Lambda context. Lambda's 6 MB limits hold both ways:
   * a larger request is refused before the handler runs (RequestEntityTooLargeException), a
   * larger response fails the invocation (Function.ResponseSizeTooLarge) after it ran.
   */
  async invoke(name: string, event: unknown): Promise<unknown> {
    const handler = await this.load(name);
    const timeoutMs = this.timeoutSeconds(name) * 1000 * this.timeoutFactor;
    const requestBytes = payloadSize(event);
    if (requestBytes > AWS_LIMITS.lambdaPayloadBytes) {
      throw new LambdaPayloadTooLarge(
        'RequestEntityTooLargeException',
        `${requestBytes} byte payload is too large for the RequestResponse invocation type (limit ${AWS_LIMITS.lambdaPayloadBytes} bytes)`,
      );
    }
    const context = lambdaContext(name, timeoutMs);
    const result = await withTimeout(handler(event, context), timeoutMs, () => {
      return new LambdaTimedOut(context.awsRequestId, timeoutMs / 1000);
    });
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
    const entry = this.entries.get(name)?.entry;
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

/** The handler's answer, or `timedOut()` thrown once `ms` have passed; the handler runs on. */
const withTimeout = async <T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  // A handler that fails after its deadline has nobody left to tell.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
};
