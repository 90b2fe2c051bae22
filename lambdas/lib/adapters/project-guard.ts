import type { ProjectStatus } from '../domain/project.ts';
import { ProjectNotFound, ProjectStateConflict } from '../errors.ts';
import type { Cancellation } from './conditional.ts';
import { projectKey } from './keys.ts';

/**
 * A transaction item that lets the transaction through only while the project is in one of
 * `statuses` — so a key, webhook or event can never be added to a project being deleted.
 */
export const projectIn = (
  tableName: string,
  projectId: string,
  statuses: readonly ProjectStatus[],
) => ({
  ConditionCheck: {
    TableName: tableName,
    Key: projectKey(projectId),
    ConditionExpression: `attribute_exists(pk) AND #status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

/** Throws what a failed {@link projectIn} check means: no such project, or the wrong status. */
export const refuseForProject = (reason: Cancellation, projectId: string, what: string): never => {
  if (!reason.old) throw new ProjectNotFound(projectId);
  throw new ProjectStateConflict(`Project ${projectId} is ${String(reason.old.status)}; ${what}`);
};
