import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ActivityRun, TaskInstance } from '../domain/activities.ts';
import type { RunStore } from '../ports/activities.ts';
import { claimLeaseMs } from '../retry-timing.ts';
import { conditionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';

const partition = (projectId: string) => `PROJECT#${projectId}`;

/** A task instance as stored: with the lease of the attempt running it. */
type ClaimedTask = TaskInstance & { readonly claimedUntil?: string };

const withoutClaim = ({ claimedUntil: _, ...task }: ClaimedTask): TaskInstance => task;

/**
 * Runs (`RUN#{runId}`) and task instances (`TASK#{taskId}`) in PlatformTable. Run ids start with
 * `activity-{activityId}:` and task ids with `task-{runId}:`, so one prefix query lists an
 * activity's runs and one its task instances.
 */
export class DynamoRuns implements RunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async logRun(run: ActivityRun): Promise<{ run: ActivityRun; created: boolean }> {
    const { item, created } = await this.putIfAbsent(`RUN#${run.runId}`, 'run', run);
    return { run: item, created };
  }

  async startTask(
    projectId: string,
    instance: Omit<TaskInstance, 'status' | 'result'>,
    at: Date,
  ): Promise<{ claimed: boolean; task: TaskInstance }> {
    const claimedUntil = new Date(at.getTime() + claimLeaseMs()).toISOString();
    const fresh = { ...instance, status: 'running' as const };
    const put = await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: partition(projectId),
            sk: `TASK#${instance.id}`,
            kind: 'task',
            ...fresh,
            claimedUntil,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (put.ok) return { claimed: true, task: fresh };
    const stored = withoutKeys<ClaimedTask>(put.old ?? {});
    if (stored.status !== 'running') return { claimed: false, task: withoutClaim(stored) };
    // Running: another attempt holds it unless its lease has passed (it died mid-task).
    const claim = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partition(projectId), sk: `TASK#${instance.id}` },
          UpdateExpression: 'SET claimedUntil = :until',
          ConditionExpression:
            '#status = :running AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':now': at.toISOString(),
            ':until': claimedUntil,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    const item = withoutKeys<ClaimedTask>((claim.ok ? claim.value.Attributes : claim.old) ?? {});
    return { claimed: claim.ok, task: withoutClaim(item) };
  }

  async finishTask(projectId: string, instance: TaskInstance): Promise<TaskInstance> {
    const settled = await this.settle<ClaimedTask>(projectId, `TASK#${instance.id}`, {
      status: instance.status,
      result: instance.result ?? {},
    });
    return withoutClaim(settled);
  }

  async finishRun(
    projectId: string,
    runId: string,
    outcome: { status: 'succeeded' | 'failed'; reason?: string },
    at: string,
  ): Promise<ActivityRun | undefined> {
    const run = await this.settle<ActivityRun>(projectId, `RUN#${runId}`, {
      ...outcome,
      finishedAt: at,
    });
    return run.runId === undefined ? undefined : run;
  }

  async tasksOf(projectId: string, runId: string): Promise<TaskInstance[]> {
    // The prefix may also match a run whose id extends this one (`…:x` vs `…:x:y`); keep ours.
    const tasks = await this.query<ClaimedTask>(projectId, `TASK#task-${runId}:`);
    return tasks.filter((task) => task.runId === runId).map(withoutClaim);
  }

  async runs(
    projectId: string,
    activityId: string,
  ): Promise<(ActivityRun & { tasks: TaskInstance[] })[]> {
    const [runs, tasks] = await Promise.all([
      this.query<ActivityRun>(projectId, `RUN#activity-${activityId}:`),
      this.query<TaskInstance>(projectId, `TASK#task-activity-${activityId}:`),
    ]);
    return runs
      .map((run) => ({ ...run, tasks: tasks.filter((task) => task.runId === run.runId) }))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId));
  }

  private async putIfAbsent<T extends object>(
    sk: string,
    kind: string,
    item: T,
    projectId?: string,
  ): Promise<{ item: T; created: boolean }> {
    const pk = partition(projectId ?? (item as { projectId: string }).projectId);
    const put = await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, sk, kind, ...item },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return put.ok
      ? { item, created: true }
      : { item: withoutKeys<T>(put.old ?? {}), created: false };
  }

  /** Settles a running item once; a settled one is returned as it is. */
  private async settle<T>(projectId: string, sk: string, set: Record<string, unknown>): Promise<T> {
    const names = Object.keys(set);
    const update = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partition(projectId), sk },
          UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((n) => [`#${n}`, n])),
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n) => [`:${n}`, set[n]])),
            ':running': 'running',
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return withoutKeys<T>((update.ok ? update.value.Attributes : update.old) ?? {});
  }

  private async query<T>(projectId: string, prefix: string): Promise<T[]> {
    const items: T[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partition(projectId), ':prefix': prefix },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []).map((item) => withoutKeys<T>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
