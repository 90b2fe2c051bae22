import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Delivery, ProjectEvent } from '../domain/project-events.ts';
import type { AttemptClaim, DeliveryUpdate, ProjectEventStore } from '../ports/project-events.ts';
import { claimLeaseMs } from '../retry-timing.ts';
import { conditionally, transactionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';
import { projectIn, refuseForProject } from './project-guard.ts';

const eventKey = (projectId: string, eventId: string) => ({
  pk: `PROJECT#${projectId}`,
  sk: `EVENT#${eventId}`,
});

/**
 * An event item; items written before `dataJson` existed carry `data` as a map. The attempt
 * claim (`delivery.claimedUntil`) is bookkeeping of this adapter and stays here.
 */
const eventOf = (item: Record<string, unknown>): ProjectEvent => {
  const { data, ...event } = withoutKeys<ProjectEvent & { data?: unknown }>(item);
  const { claimedUntil, ...delivery } = event.delivery as Delivery & { claimedUntil?: string };
  return { ...event, delivery, dataJson: event.dataJson ?? JSON.stringify(data ?? null) };
};

/** Every delivery change is conditioned on the delivery still being pending. */
const PENDING = { ConditionExpression: 'delivery.#s = :pending', names: { '#s': 'status' } };

/** A pending-only update's answer; it settled the delivery when it was written and settles. */
const settledBy = (
  update: { written: boolean; event?: ProjectEvent },
  settles: boolean,
): DeliveryUpdate => ({
  ...(update.event ? { event: update.event } : {}),
  settled: update.written && settles,
});

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

  async claimAttempt(projectId: string, eventId: string, at: Date): Promise<AttemptClaim> {
    // Pending and not held by another attempt whose lease is still running.
    const result = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: eventKey(projectId, eventId),
          UpdateExpression:
            'SET delivery.attempts = delivery.attempts + :one, delivery.claimedUntil = :until',
          ConditionExpression: `${PENDING.ConditionExpression} AND (attribute_not_exists(delivery.claimedUntil) OR delivery.claimedUntil < :now)`,
          ExpressionAttributeNames: PENDING.names,
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':one': 1,
            ':now': at.toISOString(),
            ':until': new Date(at.getTime() + claimLeaseMs()).toISOString(),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (result.ok) return { claimed: true, event: eventOf(result.value.Attributes ?? {}) };
    if (!result.old) return { claimed: false };
    return { claimed: false, event: eventOf(result.old) };
  }

  async recordAnswer(
    projectId: string,
    eventId: string,
    statusCode: number,
    at: string,
  ): Promise<DeliveryUpdate> {
    const delivered = statusCode >= 200 && statusCode <= 299;
    const update = await this.update(
      projectId,
      eventId,
      delivered
        ? 'SET delivery.#s = :delivered, delivery.lastStatusCode = :code, delivery.deliveredAt = :at REMOVE delivery.claimedUntil'
        : 'SET delivery.lastStatusCode = :code REMOVE delivery.claimedUntil',
      { ':code': statusCode, ...(delivered ? { ':delivered': 'delivered', ':at': at } : {}) },
    );
    return settledBy(update, delivered);
  }

  async markFailed(projectId: string, eventId: string): Promise<DeliveryUpdate> {
    const update = await this.update(
      projectId,
      eventId,
      'SET delivery.#s = :failed REMOVE delivery.claimedUntil',
      {
        ':failed': 'failed',
      },
    );
    return settledBy(update, true);
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
