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
 * Wraps a Lambda handler with the per-invocation observability chores: Lambda context and
 * correlation id on every log line, a cold-start annotation, and publishing stored metrics.
 * Keys appended during one invocation are dropped afterwards so they never leak into the next.
 */
export const instrumented =
  <E, R>(fn: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    const correlationId = correlationIdOf(event);
    if (correlationId) logger.appendKeys({ correlation_id: correlationId });
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await fn(event, context);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };

const correlationIdOf = (event: unknown): string | undefined => {
  if (typeof event !== 'object' || event === null) return undefined;
  const requestContext = (event as { requestContext?: { requestId?: unknown } }).requestContext;
  if (typeof requestContext?.requestId === 'string') return requestContext.requestId;
  const executionName = (event as { executionName?: unknown }).executionName;
  return typeof executionName === 'string' ? executionName : undefined;
};
