import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/**
 * One Logger, Tracer and Metrics per process. Service name, namespace and log level come from the
 * POWERTOOLS_* variables the function construct (or the twin) sets. The Tracer switches itself off
 * outside Lambda, so the twin runs the same code untraced.
 */
export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();

/**
 * The invocation whose keys the logger carries. Lambda runs one invocation per instance; the twin
 * runs many at once in one process, where an invocation that ended must not clear the keys of
 * one that started after it (and still logs).
 */
let keysOwner: object | undefined;

/**
 * Wraps a Lambda handler with the per-invocation observability chores: Lambda context and
 * correlation id on every log line, a cold-start annotation, and publishing stored metrics.
 * Keys appended during one invocation are dropped afterwards so they never leak into the next.
 * The correlation id is the API request id, else the `correlationId` a saga step's payload
 * carries, else what `correlationIdOf` finds in the event.
 */
export const instrumented =
  <E, R>(
    fn: (event: E, context: Context) => Promise<R>,
    correlationIdOf: (event: E) => string | undefined = () => undefined,
  ) =>
  async (event: E, context: Context): Promise<R> => {
    const invocation = {};
    keysOwner = invocation;
    logger.addContext(context);
    const correlationId = correlationIdIn(event) ?? correlationIdOf(event);
    if (correlationId) logger.appendKeys({ correlation_id: correlationId });
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await fn(event, context);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      if (keysOwner === invocation) logger.resetKeys();
    }
  };

/** The API request id, or a `correlationId` field (a step's payload); absent or not a string: none. */
const correlationIdIn = (event: unknown): string | undefined => {
  if (typeof event !== 'object' || event === null) return undefined;
  const requestContext = (event as { requestContext?: { requestId?: unknown } }).requestContext;
  if (typeof requestContext?.requestId === 'string') return requestContext.requestId;
  const correlationId = (event as { correlationId?: unknown }).correlationId;
  return typeof correlationId === 'string' && correlationId !== '' ? correlationId : undefined;
};
