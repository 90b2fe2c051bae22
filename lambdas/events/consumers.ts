import type { Access } from '#lib/access.ts';

/**
 * An event pattern on a DynamoDB stream record (Lambda event filtering syntax). CDK passes it as
 * the event source mapping's filter; the twin applies the same pattern before invoking.
 */
export type RecordPattern = { readonly [field: string]: readonly string[] | RecordPattern };

/** A function fed by a table's stream. */
export interface StreamConsumer {
  readonly name: string;
  readonly entry: string;
  readonly table: 'idempotency' | 'platform';
  readonly filter: RecordPattern;
  readonly access: Access;
}

/** What DynamoDB TTL deletions look like on a stream: REMOVE records made by the service. */
export const ttlDeletions: RecordPattern = {
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
