import type { Access } from '#lib/access.ts';
import type { EventPattern } from '#lib/event-rules.ts';

/** A function fed by a table's stream. */
export interface StreamConsumer {
  readonly name: string;
  readonly entry: string;
  readonly table: 'idempotency' | 'platform';
  /**
   * Lambda event filtering pattern (EventBridge syntax) on the stream record: CDK passes it to the
   * event source mapping; the twin applies the same pattern before invoking.
   */
  readonly filter: EventPattern;
  readonly access: Access;
}

/** What DynamoDB TTL deletions look like on a stream: REMOVE records made by the service. */
export const ttlDeletions: EventPattern = {
  eventName: ['REMOVE'],
  userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
};

/** The stream consumers: CDK wires each to its table's stream, the twin polls DynamoDB Local's. */
export const streamConsumers = [
  {
    name: 'AuditExpiredRecords',
    entry: 'lambdas/events/audit-expired-records.ts',
    table: 'idempotency',
    filter: ttlDeletions,
    access: { platform: 'write' },
  },
] as const satisfies readonly StreamConsumer[];
