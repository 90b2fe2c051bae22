import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKey } from '../domain/api-keys.ts';
import { ProjectStateConflict } from '../errors.ts';
import type { ApiKeyStore } from '../ports/api-keys.ts';
import { auditPut } from './audit-items.ts';
import { transactionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';
import { projectIn, refuseForProject } from './project-guard.ts';

/** `APIKEY#{keyId}` / `APIKEY`: one strongly consistent GetItem per authorized request. */
export const apiKeyKey = (keyId: string) => ({ pk: `APIKEY#${keyId}`, sk: 'APIKEY' });

/** GSI1 partition listing a project's keys by creation time. */
const projectKeys = (projectId: string) => `PROJECT#${projectId}#APIKEYS`;

/** API keys in PlatformTable, each write together with its audit entry. */
export class DynamoApiKeys implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(key: ApiKey, actor: string): Promise<'created' | 'exists'> {
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            projectIn(this.tableName, key.projectId, ['provisioning', 'active']),
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...apiKeyKey(key.id),
                  gsi1pk: projectKeys(key.projectId),
                  gsi1sk: `${key.createdAt}#${key.id}`,
                  kind: 'apikey',
                  ...stored(key),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            auditPut(this.tableName, {
              id: `key_created:${key.id}`,
              projectId: key.projectId,
              at: key.createdAt,
              action: 'key.created',
              actor,
              details: { keyId: key.id, name: key.name },
            }),
          ],
        }),
      ),
    );
    if (result.ok) return 'created';
    const [project, put] = result.reasons;
    if (project?.conditionFailed)
      refuseForProject(project, key.projectId, 'it cannot get new keys');
    if (put?.conditionFailed) return 'exists';
    throw new ProjectStateConflict(`Audit entry for ${key.id} exists without the key`);
  }

  async get(keyId: string): Promise<ApiKey | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: apiKeyKey(keyId), ConsistentRead: true }),
    );
    return Item ? keyOf(Item) : undefined;
  }

  async list(projectId: string): Promise<ApiKey[]> {
    const keys: ApiKey[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': projectKeys(projectId) },
          ExclusiveStartKey,
        }),
      );
      keys.push(...(page.Items ?? []).map(keyOf));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return keys;
  }

  async revoke(
    projectId: string,
    keyId: string,
    at: string,
    actor: string,
  ): Promise<{ id: string; revokedAt: string } | undefined> {
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: apiKeyKey(keyId),
                UpdateExpression: 'SET revokedAt = :at',
                ConditionExpression:
                  'attribute_exists(pk) AND projectId = :projectId AND attribute_not_exists(revokedAt)',
                ExpressionAttributeValues: { ':at': at, ':projectId': projectId },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            auditPut(this.tableName, {
              id: `key_revoked:${keyId}`,
              projectId,
              at,
              action: 'key.revoked',
              actor,
              details: { keyId },
            }),
          ],
        }),
      ),
    );
    if (result.ok) return { id: keyId, revokedAt: at };
    const old = result.reasons[0]?.old;
    if (!old || old.projectId !== projectId || typeof old.revokedAt !== 'string') return undefined;
    return { id: keyId, revokedAt: old.revokedAt };
  }
}

/** A key is stored without `revokedAt` until it is revoked (the condition tests its absence). */
const stored = ({ revokedAt, ...rest }: ApiKey) => (revokedAt ? { ...rest, revokedAt } : rest);

const keyOf = (item: Record<string, unknown>): ApiKey => {
  const key = withoutKeys<Omit<ApiKey, 'revokedAt'> & { revokedAt?: string }>(item);
  return { ...key, revokedAt: key.revokedAt ?? null };
};
