import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../domain/activities.ts';
import type { Instant } from '../domain/schedule.ts';
import type { ActivityStore } from '../ports/activities.ts';
import { conditionally, transactionally } from './conditional.ts';
import { withoutKeys } from './keys.ts';
import { projectIn, refuseForProject } from './project-guard.ts';

const activityKey = (projectId: string, activityId: string) => ({
  pk: `PROJECT#${projectId}`,
  sk: `ACTIVITY#${activityId}`,
});

/** Activities in PlatformTable (`PROJECT#{id}` / `ACTIVITY#{activityId}`). */
export class DynamoActivities implements ActivityStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(projectId: string, activityId: string): Promise<Activity | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: activityKey(projectId, activityId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<Activity>(Item) : undefined;
  }

  async list(projectId: string): Promise<Activity[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':prefix': 'ACTIVITY#' },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map((item) => withoutKeys<Activity>(item));
  }

  /** Writes every field but the high-water mark, which only the dispatcher moves. */
  async put(activity: Activity): Promise<void> {
    const { highWater: _, ...fields } = { ...activity, kind: 'activity' };
    const names = Object.keys(fields);
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            projectIn(this.tableName, activity.projectId, ['active']),
            {
              Update: {
                TableName: this.tableName,
                Key: activityKey(activity.projectId, activity.activityId),
                UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
                ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
                ExpressionAttributeValues: Object.fromEntries(
                  Object.entries(fields).map(([n, v]) => [`:${n}`, v]),
                ),
              },
            },
          ],
        }),
      ),
    );
    const [project] = result.ok ? [] : result.reasons;
    if (project?.conditionFailed)
      refuseForProject(project, activity.projectId, 'it cannot have activities');
  }

  async advanceHighWater(projectId: string, activityId: string, fired: Instant): Promise<boolean> {
    // A failed condition means a later fire moved the mark already: the mark never goes down.
    const moved = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: activityKey(projectId, activityId),
          UpdateExpression: 'SET highWater = :fired',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(highWater) OR highWater < :fired)',
          ExpressionAttributeValues: { ':fired': fired },
        }),
      ),
    );
    return moved.ok;
  }
}
