import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { WebhookEndpoint } from '../domain/webhook-endpoint.ts';
import type { WebhookEndpointStore } from '../ports/webhook-endpoints.ts';
import { transactionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';
import { projectIn, refuseForProject } from './project-guard.ts';

const endpointKey = (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'WEBHOOK' });

/** Webhook endpoints in PlatformTable (`PROJECT#{id}` / `WEBHOOK`). */
export class DynamoWebhookEndpoints implements WebhookEndpointStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(projectId: string): Promise<WebhookEndpoint | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: endpointKey(projectId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<WebhookEndpoint>(Item) : undefined;
  }

  async create(endpoint: WebhookEndpoint): Promise<boolean> {
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            projectIn(this.tableName, endpoint.projectId, ['active']),
            {
              Put: {
                TableName: this.tableName,
                Item: { ...endpointKey(endpoint.projectId), kind: 'webhook', ...endpoint },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      ),
    );
    if (result.ok) return true;
    const [project] = result.reasons;
    if (project?.conditionFailed)
      refuseForProject(project, endpoint.projectId, 'it cannot get a webhook');
    return false;
  }

  async update(
    projectId: string,
    change: Parameters<WebhookEndpointStore['update']>[1],
  ): Promise<WebhookEndpoint> {
    const rotate = change.sealedSecret !== undefined;
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: endpointKey(projectId),
        UpdateExpression: `SET #url = :url, eventTypes = :types, updatedAt = :at${rotate ? ', sealedSecret = :sealed, secretVersion = secretVersion + :one' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#url': 'url' },
        ExpressionAttributeValues: {
          ':url': change.url,
          ':types': change.eventTypes,
          ':at': change.updatedAt,
          ...(rotate ? { ':sealed': change.sealedSecret, ':one': 1 } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<WebhookEndpoint>(Attributes ?? {});
  }
}
