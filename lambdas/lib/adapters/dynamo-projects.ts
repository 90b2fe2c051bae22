import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Project } from '../domain/project.ts';
import { ProjectNotFound, ProjectStateConflict } from '../errors.ts';
import type { ProjectStore } from '../ports/projects.ts';
import { auditPut } from './audit-items.ts';
import { conditionally, transactionally } from './conditional.ts';
import { projectKey, withoutKeys } from './keys.ts';
import { statusUpdate } from './status-update.ts';

/** Projects in PlatformTable (`PROJECT#{id}` / `PROJECT`). */
export class DynamoProjects implements ProjectStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(project: Project): Promise<{ project: Project; created: boolean }> {
    const put = await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...projectKey(project.id), kind: 'project', ...project },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (put.ok) return { project, created: true };
    return { project: withoutKeys<Project>(put.old ?? {}), created: false };
  }

  async get(projectId: string): Promise<Project | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: projectKey(projectId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<Project>(Item) : undefined;
  }

  async transition(
    change: Parameters<ProjectStore['transition']>[0],
  ): Promise<{ changed: boolean }> {
    const result = await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: statusUpdate({
                ...change,
                tableName: this.tableName,
                key: projectKey(change.projectId),
              }),
            },
            auditPut(this.tableName, change.audit),
          ],
        }),
      ),
    );
    if (result.ok) return { changed: true };
    const [update] = result.reasons;
    if (!update?.conditionFailed) {
      throw new ProjectStateConflict(
        `Audit entry ${change.audit.id} exists but the status did not change`,
      );
    }
    if (!update.old) throw new ProjectNotFound(change.projectId);
    const current = String(update.old.status);
    if (current === change.to) return { changed: false };
    throw new ProjectStateConflict(
      `Project ${change.projectId} is ${current}; cannot move to ${change.to}`,
    );
  }
}
