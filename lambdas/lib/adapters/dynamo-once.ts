import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { effectDone } from '../crash-point.ts';
import { EffectInProgress } from '../errors.ts';
import type { OnceLedger } from '../ports/once.ts';
import { claimLeaseMs } from '../retry-timing.ts';
import { conditionally } from './conditional.ts';
import { onceKey } from './keys.ts';

/**
 * The once-ledger in PlatformTable (`PROJECT#{id}` / `ONCE#{dedupeKey}`): claim, effect, confirm.
 * A retry after the confirm returns the recorded result. Only a crash between the effect and the
 * confirm can repeat the effect, and only after the lease (`retry-timing.ts`) — at-least-once in that window, which
 * is the most an effect without a provider idempotency key allows. A claim younger than the lease
 * is refused with `EffectInProgress` (retryable): the retry schedule outlasts the lease.
 */
export class DynamoOnce implements OnceLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async once<T extends Record<string, unknown>>(
    scope: { projectId: string; dedupeKey: string },
    effect: () => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }> {
    const key = onceKey(scope.projectId, scope.dedupeKey);
    // No read first: a done record fails the claim's condition, and the failed write returns it
    // (ALL_OLD), so a retry after the confirm costs one call and still returns the result.
    const attempt = randomUUID();
    const claim = await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            kind: 'once',
            dedupeKey: scope.dedupeKey,
            status: 'claimed',
            attempt,
            claimedAt: this.now(),
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR (#status = :claimed AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':stale': this.now() - claimLeaseMs(),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (!claim.ok) {
      if (claim.old?.status === 'done') return { result: claim.old.result as T, replayed: true };
      throw new EffectInProgress(`${scope.dedupeKey} is being done by another attempt`);
    }

    let result: T;
    try {
      result = await effect();
    } catch (error) {
      await this.release(key, attempt);
      throw error;
    }
    await effectDone(`once:${scope.dedupeKey}`);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #status = :done, #result = :result, doneAt = :at',
        ConditionExpression: 'attempt = :attempt',
        ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':result': result,
          ':at': this.now(),
          ':attempt': attempt,
        },
      }),
    );
    return { result, replayed: false };
  }

  /** Drops our claim after a failed effect so a retry may try again. */
  private async release(key: ReturnType<typeof onceKey>, attempt: string): Promise<void> {
    await conditionally(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'attempt = :attempt',
          ExpressionAttributeValues: { ':attempt': attempt },
        }),
      ),
    );
  }
}
