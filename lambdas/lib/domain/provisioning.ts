import { IdempotencyKeyReused } from '../errors.ts';
import { executionName } from '../ids.ts';
import type { ProjectStore } from '../ports/projects.ts';
import type { WorkflowStarter } from '../ports/workflows.ts';
import { type Plan, type Project, provisionInput } from './project.ts';

export interface ProvisionDeps {
  readonly projects: ProjectStore;
  readonly workflows: WorkflowStarter;
  readonly now: () => Date;
}

export interface ProvisionRequest {
  readonly projectId: string;
  readonly name: string;
  readonly ownerEmail: string;
  readonly plan: Plan;
  /** Travels in the execution input, so the saga's steps log it. */
  readonly correlationId: string;
}

/**
 * Creates the project record (if its derived id is new) and starts `provision-project` under the
 * name `provision-{projectId}`. Safe to repeat at any time: the record is a conditional put, the
 * start is deduplicated by name, and a project past `provisioning` is never provisioned again.
 * A different request under an id that exists — a reused key after its TTL — is refused.
 */
export const provisionProject = async (
  deps: ProvisionDeps,
  request: ProvisionRequest,
): Promise<Project> => {
  const at = deps.now().toISOString();
  const { project } = await deps.projects.create({
    id: request.projectId,
    name: request.name,
    ownerEmail: request.ownerEmail,
    plan: request.plan,
    status: 'provisioning',
    schemaVersion: 0,
    createdAt: at,
    updatedAt: at,
  });
  if (
    project.name !== request.name ||
    project.ownerEmail !== request.ownerEmail ||
    project.plan !== request.plan
  ) {
    throw new IdempotencyKeyReused(
      `Project ${project.id} was created by a different request with this Idempotency-Key`,
    );
  }
  if (project.status === 'provisioning') {
    await deps.workflows.start('provision-project', executionName('provision', project.id), {
      ...provisionInput(project),
      correlationId: request.correlationId,
    });
  }
  return project;
};
