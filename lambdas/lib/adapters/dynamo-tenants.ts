import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Migration } from '../domain/migrations.ts';
import { ProjectNotFound, ProjectStateConflict } from '../errors.ts';
import type { Tenant, TenantStore } from '../ports/tenants.ts';
import { conditionally, transactionally } from './conditional.ts';
import {
  dataKey,
  MIGRATION_PREFIX,
  migrationKey,
  projectKey,
  storageKey,
  tenantKey,
  tenantPartition,
  withoutKeys,
} from './keys.ts';

/** Tenant data plane in PlatformTable (`TENANT#{projectId}` partition). */
export class DynamoTenants implements TenantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createTenant(tenant: Tenant): Promise<Tenant> {
    const existing = await this.putIfAbsent({
      ...tenantKey(tenant.projectId),
      kind: 'tenant',
      ...tenant,
    });
    return existing ? withoutKeys<Tenant>(existing) : tenant;
  }

  async createStorage(projectId: string, at: string): Promise<{ createdAt: string }> {
    const existing = await this.putIfAbsent({
      ...storageKey(projectId),
      kind: 'storage',
      createdAt: at,
    });
    return { createdAt: existing ? String(existing.createdAt) : at };
  }

  async appliedVersions(projectId: string): Promise<number[]> {
    const items = await this.partition(projectId, MIGRATION_PREFIX);
    return items.map((item) => Number(item.version)).sort((a, b) => a - b);
  }

  async applyMigrations(
    projectId: string,
    batch: readonly Migration[],
    at: string,
  ): Promise<boolean> {
    const last = batch.at(-1);
    if (!last) return true;
    const migrationItems = batch.flatMap((migration) => [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...migrationKey(projectId, migration.version),
            kind: 'migration',
            version: migration.version,
            name: migration.name,
            appliedAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...Object.entries(migration.items).map(([name, value]) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...dataKey(projectId, name), kind: 'data', ...value },
        },
      })),
    ]);
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: storageKey(projectId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            ...migrationItems,
            {
              Update: {
                TableName: this.tableName,
                Key: projectKey(projectId),
                UpdateExpression: 'SET schemaVersion = :version, updatedAt = :at',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':version': last.version, ':at': at },
              },
            },
          ],
        }),
      ),
    );
    if (result.ok) return true;
    const [storage, ...rest] = result.reasons;
    if (storage?.conditionFailed)
      throw new ProjectStateConflict(`Tenant storage of ${projectId} does not exist`);
    // Only the migration records and the project update carry conditions; the update is last.
    if (rest.slice(0, -1).some((reason) => reason.conditionFailed)) return false;
    throw new ProjectNotFound(projectId);
  }

  async dropStorage(projectId: string): Promise<number> {
    const items = (await this.partition(projectId)).filter((item) => item.sk !== 'TENANT');
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = items
        .slice(i, i + 25)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      while (requests && requests.length > 0) {
        const { UnprocessedItems } = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
    }
    return items.length;
  }

  async softDelete(projectId: string, at: string): Promise<Tenant | undefined> {
    const update = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tenantKey(projectId),
          UpdateExpression: 'SET deletedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (update.ok) return withoutKeys<Tenant>(update.value.Attributes ?? {});
    return update.old ? withoutKeys<Tenant>(update.old) : undefined;
  }

  /** Puts the item unless its key exists; returns the existing item, or undefined when written. */
  private async putIfAbsent(
    item: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined> {
    const put = await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return put.ok ? undefined : (put.old ?? {});
  }

  private async partition(
    projectId: string,
    skPrefix?: string,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': tenantPartition(projectId),
            ...(skPrefix ? { ':prefix': skPrefix } : {}),
          },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
