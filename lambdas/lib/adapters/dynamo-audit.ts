import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../domain/audit.ts';
import { DomainError } from '../errors.ts';
import type { AuditLog } from '../ports/audit.ts';
import { auditItem, auditPartition } from './audit-items.ts';
import { conditionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';

/** The audit log in PlatformTable, read newest first through GSI1. */
export class DynamoAudit implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    // A failed condition means this operation is logged already: that is the point.
    await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: auditItem(entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async list(
    projectId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ entries: AuditEntry[]; nextCursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': auditPartition(projectId) },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, projectId) } : {}),
      }),
    );
    const entries = (result.Items ?? []).map((item) => withoutKeys<AuditEntry>(item));
    return result.LastEvaluatedKey
      ? {
          entries,
          nextCursor: Buffer.from(JSON.stringify(result.LastEvaluatedKey)).toString('base64url'),
        }
      : { entries };
  }
}

/** Thrown for a page token this log did not hand out (a 400, not a 500). */
export class InvalidCursor extends DomainError {
  override readonly problemCode = 'invalid_cursor';

  constructor() {
    super('The cursor is not one this API returned');
    this.name = 'InvalidCursor';
  }
}

/**
 * A cursor is the last key as base64url JSON. The HTTP layer signs it before a client sees it;
 * this check of its shape is a second line that keeps a bad key away from DynamoDB.
 */
const decodeCursor = (cursor: string, projectId: string): Record<string, string> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const fields = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
    const valid =
      Object.keys(key).length === fields.length &&
      fields.every((f) => typeof key[f] === 'string' && key[f] !== '') &&
      key.gsi1pk === auditPartition(projectId);
    if (valid) return key as Record<string, string>;
  } catch {
    // fall through: not base64url JSON
  }
  throw new InvalidCursor();
};
