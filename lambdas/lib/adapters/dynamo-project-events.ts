import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ProjectEvent } from '../domain/project-events.ts';
import type { ProjectEventStore } from '../ports/project-events.ts';
import { conditionally, transactionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';
import { projectIn, refuseForProject } from './project-guard.ts';

const eventKey = (projectId: string, eventId: string) => ({
  pk: `PROJECT#${projectId}`,
  sk: `EVENT#${eventId}`,
});

/** An event item; items written before `dataJson` existed carry `data` as a map. */
const eventOf = (item: Record<string, unknown>): ProjectEvent => {
  const { data, ...event } = withoutKeys<ProjectEvent & { data?: unknown }>(item);
  return { ...event, dataJson: event.dataJson ?? JSON.stringify(data ?? null) };
};

/** Every delivery change is conditioned on the delivery still being pending. */
const PENDING = { ConditionExpression: 'delivery.#s = :pending', names: { '#s': 'status' } };

/** Project events and their delivery state in PlatformTable (`PROJECT#{id}` / `EVENT#{eventId}`). */
export class DynamoProjectEvents implements ProjectEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(event: ProjectEvent): Promise<{ event: ProjectEvent; created: boolean }> {
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            projectIn(this.tableName, event.projectId, ['active']),
            {
              Put: {
                TableName: this.tableName,
                Item: { ...eventKey(event.projectId, event.id), kind: 'event', ...event },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );
    if (result.ok) return { event, created: true };
    const [project, put] = result.reasons;
    if (project?.conditionFailed)
      refuseForProject(project, event.projectId, 'it cannot take events');
    return { event: eventOf(put?.old ?? {}), created: false };
  }

  async get(projectId: string, eventId: string): Promise<ProjectEvent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: eventKey(projectId, eventId),
        ConsistentRead: true,
      }),
    );
    return Item ? eventOf(Item) : undefined;
  }

  async startAttempt(projectId: string, eventId: string): Promise<number | undefined> {
    const update = await this.update(
      projectId,
      eventId,
      'SET delivery.attempts = delivery.attempts + :one',
      { ':one': 1 },
    );
    return update.written ? update.event.delivery.attempts : undefined;
  }

  async recordAnswer(
    projectId: string,
    eventId: string,
    statusCode: number,
    at: string,
  ): Promise<ProjectEvent | undefined> {
    const delivered = statusCode >= 200 && statusCode <= 299;
    const update = await this.update(
      projectId,
      eventId,
      delivered
        ? 'SET delivery.#s = :delivered, delivery.lastStatusCode = :code, delivery.deliveredAt = :at'
        : 'SET delivery.lastStatusCode = :code',
      { ':code': statusCode, ...(delivered ? { ':delivered': 'delivered', ':at': at } : {}) },
    );
    return update.event;
  }

  async markFailed(projectId: string, eventId: string): Promise<ProjectEvent | undefined> {
    const update = await this.update(projectId, eventId, 'SET delivery.#s = :failed', {
      ':failed': 'failed',
    });
    return update.event;
  }

  /**
   * A conditional update of a pending delivery. Returns the event as it stands afterwards — the
   * updated item, or the item as it was when the delivery was no longer pending (no second
   * read either way) — and undefined when there is no such event.
   */
  private async update(
    projectId: string,
    eventId: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<{ written: true; event: ProjectEvent } | { written: false; event?: ProjectEvent }> {
    const result = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: eventKey(projectId, eventId),
          UpdateExpression: expression,
          ConditionExpression: PENDING.ConditionExpression,
          ExpressionAttributeNames: PENDING.names,
          ExpressionAttributeValues: { ':pending': 'pending', ...values },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (result.ok) return { written: true, event: eventOf(result.value.Attributes ?? {}) };
    return { written: false, ...(result.old ? { event: eventOf(result.old) } : {}) };
  }
}
