import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/orders.ts';
import { OrderStateConflict } from '../errors.ts';
import type { ChargeRecord, OrderStore, Recorded, RefundRecord } from '../ports/orders.ts';
import { conditionally, transactionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';
import { projectIn, refuseForProject } from './project-guard.ts';
import { statusUpdate } from './status-update.ts';

/** `PROJECT#{id}` / `{ORDER|CHARGE|REFUND|ENTITLEMENT}#{orderId}`: an order and its ledger. */
const key = (
  kind: 'ORDER' | 'CHARGE' | 'REFUND' | 'ENTITLEMENT',
  projectId: string,
  orderId: string,
) => ({
  pk: `PROJECT#${projectId}`,
  sk: `${kind}#${orderId}`,
});

/** Orders and their payment ledger in PlatformTable. */
export class DynamoOrders implements OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(order: Order): Promise<{ order: Order; created: boolean }> {
    const result = await transactionally(() =>
      this.write([
        projectIn(this.tableName, order.projectId, ['active']),
        this.putNew(key('ORDER', order.projectId, order.orderId), 'order', order),
      ]),
    );
    if (result.ok) return { order, created: true };
    const [project, put] = result.reasons;
    if (project?.conditionFailed)
      refuseForProject(project, order.projectId, 'it cannot take orders');
    return { order: withoutKeys<Order>(put?.old ?? {}), created: false };
  }

  get = (projectId: string, orderId: string) => this.read<Order>('ORDER', projectId, orderId);
  charge = (projectId: string, orderId: string) =>
    this.read<ChargeRecord>('CHARGE', projectId, orderId);
  refund = (projectId: string, orderId: string) =>
    this.read<RefundRecord>('REFUND', projectId, orderId);

  async recordCharge(
    projectId: string,
    orderId: string,
    record: ChargeRecord,
  ): Promise<Recorded<ChargeRecord>> {
    const charged = record.status === 'succeeded';
    const failure = charged
      ? undefined
      : { error: 'PaymentDeclined', cause: record.declineCode ?? '' };
    return this.settle(
      'CHARGE',
      projectId,
      orderId,
      record,
      ['pending'],
      charged ? 'charged' : 'declined',
      {
        ...(record.chargeId ? { chargeId: record.chargeId } : {}),
        ...(failure ? { failure } : {}),
      },
    );
  }

  async recordRefund(
    projectId: string,
    orderId: string,
    record: RefundRecord,
  ): Promise<Recorded<RefundRecord>> {
    return this.settle('REFUND', projectId, orderId, record, ['charged', 'fulfilled'], 'refunded', {
      refundId: record.refundId,
    });
  }

  async fulfil(projectId: string, orderId: string, at: string): Promise<void> {
    await this.settle(
      'ENTITLEMENT',
      projectId,
      orderId,
      { orderId, grantedAt: at },
      ['charged'],
      'fulfilled',
      {},
    );
  }

  async revokeEntitlement(projectId: string, orderId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: key('ENTITLEMENT', projectId, orderId) }),
    );
  }

  async transition(change: Parameters<OrderStore['transition']>[0]): Promise<void> {
    const update = await conditionally(() =>
      this.client.send(
        new UpdateCommand(
          statusUpdate({
            ...change,
            tableName: this.tableName,
            key: key('ORDER', change.projectId, change.orderId),
          }),
        ),
      ),
    );
    if (update.ok || update.old?.status === change.to) return;
    throw new OrderStateConflict(
      `Order ${change.orderId} is ${String(update.old?.status)}; cannot move to ${change.to}`,
    );
  }

  /**
   * Writes a ledger record once, moving the order from `from` to `to` in the same transaction. A
   * record already there is the answer of an earlier attempt: it is returned as it was, with
   * `created: false`.
   */
  private async settle<T extends object>(
    kind: 'CHARGE' | 'REFUND' | 'ENTITLEMENT',
    projectId: string,
    orderId: string,
    record: T,
    from: readonly string[],
    to: string,
    set: Record<string, unknown>,
  ): Promise<Recorded<T>> {
    const assignments = Object.keys(set).map((name) => `${name} = :${name}`);
    const values = Object.fromEntries(
      Object.entries(set).map(([name, value]) => [`:${name}`, value]),
    );
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const result = await transactionally(() =>
      this.write([
        this.putNew(key(kind, projectId, orderId), kind.toLowerCase(), record),
        {
          Update: {
            TableName: this.tableName,
            Key: key('ORDER', projectId, orderId),
            UpdateExpression: `SET ${['#status = :to', 'updatedAt = :at', ...assignments].join(', ')}`,
            ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':to': to,
              ':at': new Date().toISOString(),
              ...values,
              ...fromValues,
            },
          },
        },
      ]),
    );
    if (result.ok) return { record, created: true };
    const [put] = result.reasons;
    if (put?.conditionFailed && put.old) return { record: withoutKeys<T>(put.old), created: false };
    throw new OrderStateConflict(
      `Order ${orderId} is not ${from.join(' or ')}; cannot record ${kind.toLowerCase()}`,
    );
  }

  private putNew(itemKey: { pk: string; sk: string }, kind: string, item: object) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...itemKey, kind, ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  private write(items: Record<string, unknown>[]) {
    return this.client.send(new TransactWriteCommand({ TransactItems: items as never }));
  }

  private async read<T>(kind: 'ORDER' | 'CHARGE' | 'REFUND', projectId: string, orderId: string) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key(kind, projectId, orderId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<T>(Item) : undefined;
  }
}
