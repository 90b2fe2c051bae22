/**
 * AWS service limits the twin enforces, so that what passes here would pass in AWS. Each has a
 * test that hits it and a row in the README's twin-vs-AWS table.
 */
export const AWS_LIMITS = {
  /** EventBridge PutEvents: the entries of one request, sized the way AWS documents. */
  putEventsBytes: 256 * 1024,
  /** EventBridge Scheduler: a target's Input. */
  schedulerInputBytes: 256 * 1024,
  /** Lambda: a synchronous invocation's request and its response. */
  lambdaPayloadBytes: 6 * 1024 * 1024,
  /** API Gateway REST: how long an integration may take before the gateway answers 504. */
  gatewayIntegrationTimeoutMs: 29_000,
  /** Step Functions: a state's input or output, a task's input or result (UTF-8 JSON). */
  stateDataBytes: 256 * 1024,
  /** Step Functions (Standard): events in one execution's history. */
  historyEvents: 25_000,
} as const;

const utf8 = (text: unknown): number => Buffer.byteLength(String(text ?? ''), 'utf8');

/**
 * A PutEvents entry's size as EventBridge computes it: 14 bytes for a Time, plus the UTF-8 bytes
 * of Source, DetailType, Detail and every Resources entry.
 */
export const putEventsEntrySize = (entry: Record<string, unknown>): number =>
  (entry.Time !== undefined ? 14 : 0) +
  utf8(entry.Source) +
  utf8(entry.DetailType) +
  (entry.Detail !== undefined ? utf8(entry.Detail) : 0) +
  (Array.isArray(entry.Resources) ? entry.Resources.reduce((n, r) => n + utf8(r), 0) : 0);

/** The bytes of a payload as Lambda receives or returns it (its JSON text). */
export const payloadSize = (payload: unknown): number =>
  payload === undefined ? 0 : Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8');
