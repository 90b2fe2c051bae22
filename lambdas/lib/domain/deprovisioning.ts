import { NotFound, ProjectStateConflict } from '../errors.ts';
import { executionName } from '../ids.ts';
import type { ProjectStore } from '../ports/projects.ts';
import type { WorkflowRestarter } from '../ports/workflows.ts';
import { statusEntry } from './audit.ts';
import type { Project } from './project.ts';

export interface DeprovisionDeps {
  readonly projects: ProjectStore;
  readonly workflows: WorkflowRestarter;
  readonly now: () => Date;
}

/**
 * Moves an active or failed project to `deleting` (with its audit entry) and starts
 * `deprovision-project` as `deprovision-{projectId}`. Repeating it changes nothing: the status
 * transition is conditional and the start is deduplicated by name — unless that execution
 * failed, when the next deterministic name (`…-r1`) starts it again. A project still provisioning
 * is refused rather than raced.
 */
export const requestDeprovision = async (
  deps: DeprovisionDeps,
  request: { projectId: string; actor: string; correlationId: string },
): Promise<Project> => {
  const project = await deps.projects.get(request.projectId);
  if (!project) throw new NotFound(`No project ${request.projectId}`);
  if (project.status === 'provisioning') {
    throw new ProjectStateConflict(
      `Project ${project.id} is still provisioning; delete it once it is active or failed`,
    );
  }
  let status = project.status;
  if (status === 'active' || status === 'failed') {
    const at = deps.now().toISOString();
    await deps.projects.transition({
      projectId: project.id,
      from: ['active', 'failed'],
      to: 'deleting',
      at,
      audit: statusEntry(project.id, 'deleting', at, request.actor),
    });
    status = 'deleting';
  }
  if (status === 'deleting') {
    // A DELETE after a failed deprovisioning starts it again (every step is a no-op when done).
    await deps.workflows.startOrRestart(
      'deprovision-project',
      executionName('deprovision', project.id),
      { projectId: project.id, correlationId: request.correlationId },
    );
  }
  return { ...project, status };
};
