import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AuditEntry } from '#lib/domain/audit.ts';
import { parseRecordId } from '#lib/idempotency-record.ts';
import { instrumented, logger } from '#lib/observability.ts';
import type { AuditLog } from '#lib/ports/audit.ts';
import { auditFromEnv } from '#lib/wiring/audit.ts';

/**
 * Expiry auditing without a cleanup job: DynamoDB TTL deletes expired idempotency records, and
 * this consumer of the table's KEYS_ONLY stream (filtered to TTL deletions) logs each one in its
 * project's audit log. Keys only: a create-key record's secret never reaches this function.
 * Redelivered records are harmless — the entry id is the record id.
 */
export const makeHandler = (deps: { audit: AuditLog }) =>
  instrumented(async (event: DynamoDBStreamEvent): Promise<void> => {
    for (const record of event.Records) {
      const entry = entryFor(record);
      if (entry) await deps.audit.record(entry);
    }
  });

const entryFor = (record: DynamoDBRecord): AuditEntry | undefined => {
  const id = record.dynamodb?.Keys?.id?.S;
  const parsed = id ? parseRecordId(id) : undefined;
  if (!id || !parsed) {
    logger.warn('Expired record with an id this service did not write', { id });
    return undefined;
  }
  const seconds = record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000;
  return {
    id: `idempotency_expired:${id}`,
    projectId: parsed.projectId,
    at: new Date(seconds * 1000).toISOString(),
    action: 'idempotency.record_expired',
    actor: 'dynamodb',
    details: { operation: parsed.operation, operationKey: parsed.operationKey },
  };
};

export const handler = makeHandler({ audit: auditFromEnv() });
