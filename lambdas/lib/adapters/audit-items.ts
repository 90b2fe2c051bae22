import type { AuditEntry } from '../domain/audit.ts';

/** PlatformTable partition of a project's audit log; GSI1 orders it by time. */
export const auditPartition = (projectId: string): string => `AUDIT#${projectId}`;

/**
 * An audit entry as a PlatformTable item: `AUDIT#{projectId}` / `{entry id}`, so a second write of
 * the same operation's entry fails its `attribute_not_exists` condition; `gsi1sk` = `{at}#{id}`.
 */
export const auditItem = (entry: AuditEntry) => ({
  pk: auditPartition(entry.projectId),
  sk: entry.id,
  gsi1pk: auditPartition(entry.projectId),
  gsi1sk: `${entry.at}#${entry.id}`,
  kind: 'audit',
  ...entry,
});

/** A transaction item writing the entry unless it exists. */
export const auditPut = (tableName: string, entry: AuditEntry) => ({
  Put: {
    TableName: tableName,
    Item: auditItem(entry),
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});
