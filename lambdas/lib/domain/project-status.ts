import type { Outcome, OutcomeCounter } from '../ports/outcomes.ts';
import type { ProjectStore } from '../ports/projects.ts';
import { statusEntry } from './audit.ts';
import type { Failure, ProjectStatus } from './project.ts';

export interface ProjectStatusDeps {
  readonly projects: ProjectStore;
  readonly outcomes: OutcomeCounter;
  readonly now: () => Date;
}

/** What leaving `provisioning` for a status means to an operator. */
const PROVISIONING_OUTCOMES: Partial<Record<ProjectStatus, Outcome>> = {
  active: 'ProjectsProvisioned',
  failed: 'ProvisioningFailed',
};

/**
 * A saga's status move (MarkActive, MarkFailed, MarkDeleted): conditional, with its audit entry in
 * the same transaction; already at the target is a successful retry. The outcome of provisioning
 * is counted only by the move that changed the status, so a retried step counts nothing.
 */
export const setProjectStatus = async (
  deps: ProjectStatusDeps,
  change: {
    projectId: string;
    from: readonly ProjectStatus[];
    to: ProjectStatus;
    failure?: Failure;
  },
): Promise<{ projectId: string; status: ProjectStatus }> => {
  const { projectId, from, to, failure } = change;
  const at = deps.now().toISOString();
  const { changed } = await deps.projects.transition({
    projectId,
    from,
    to,
    at,
    audit: statusEntry(
      projectId,
      to,
      at,
      'workflow',
      failure ? { error: failure.error } : undefined,
    ),
    ...(failure ? { failure } : {}),
  });
  const outcome = from.includes('provisioning') ? PROVISIONING_OUTCOMES[to] : undefined;
  if (changed && outcome) deps.outcomes.count(outcome);
  return { projectId, status: to };
};
