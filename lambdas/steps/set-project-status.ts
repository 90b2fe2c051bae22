import { z } from 'zod';
import { projectsFromEnv, systemClock } from '#lib/adapters/defaults.ts';
import type { ProjectStatus } from '#lib/domain/project.ts';
import type { ProjectStore } from '#lib/ports/projects.ts';
import { stepHandler } from '#lib/step.ts';
import { projectId } from './schemas.ts';

const status = z.enum([
  'provisioning',
  'active',
  'failed',
  'deleting',
  'deleted',
] satisfies ProjectStatus[]);

const input = z.object({
  projectId,
  from: z.array(status).min(1),
  to: status,
  /** The Step Functions error a compensation carries (`$.error`: `{Error, Cause}`). */
  failure: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});

/**
 * SetProjectStatus (MarkActive, MarkFailed, …): a conditional status update; a project already at
 * the target status is a successful retry.
 */
export const makeHandler = (deps: { projects: ProjectStore; now: () => Date }) =>
  stepHandler(input, async ({ projectId, from, to, failure }) => {
    const project = await deps.projects.transition({
      projectId,
      from,
      to,
      at: deps.now().toISOString(),
      ...(failure ? { failure: { error: failure.Error, cause: failure.Cause ?? '' } } : {}),
    });
    return { projectId, status: project.status };
  });

export const handler = makeHandler({ projects: projectsFromEnv(), now: systemClock });
