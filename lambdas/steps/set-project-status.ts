import { statusEntry } from '#lib/domain/audit.ts';
import { PROJECT_STATUSES } from '#lib/domain/project.ts';
import type { ProjectStore } from '#lib/ports/projects.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import * as z from '#lib/zod.ts';
import { projectId } from './schemas.ts';

const status = z.enum(PROJECT_STATUSES);

const input = z.object({
  projectId,
  from: z.array(status).check(z.minLength(1)),
  to: status,
  /** The Step Functions error a compensation carries (`$.error`: `{Error, Cause}`). */
  failure: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
});

/**
 * SetProjectStatus (MarkActive, MarkFailed, MarkDeleted): a conditional status update with its
 * audit entry in one transaction; a project already at the target status is a successful retry.
 */
export const makeHandler = (deps: { projects: ProjectStore; now: () => Date }) =>
  stepHandler(input, async ({ projectId, from, to, failure }) => {
    const at = deps.now().toISOString();
    const failed = failure ? { error: failure.Error, cause: failure.Cause ?? '' } : undefined;
    await deps.projects.transition({
      projectId,
      from,
      to,
      at,
      audit: statusEntry(
        projectId,
        to,
        at,
        'workflow',
        failed ? { error: failed.error } : undefined,
      ),
      ...(failed ? { failure: failed } : {}),
    });
    return { projectId, status: to };
  });

export const handler = makeHandler({ projects: projectsFromEnv(), now: systemClock });
