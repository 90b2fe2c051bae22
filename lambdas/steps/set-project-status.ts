import { PROJECT_STATUSES } from '#lib/domain/project.ts';
import { type ProjectStatusDeps, setProjectStatus } from '#lib/domain/project-status.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
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
export const makeHandler = (deps: ProjectStatusDeps) =>
  stepHandler(input, ({ projectId, from, to, failure }) =>
    setProjectStatus(deps, {
      projectId,
      from,
      to,
      ...(failure ? { failure: { error: failure.Error, cause: failure.Cause ?? '' } } : {}),
    }),
  );

export const handler = makeHandler({
  projects: projectsFromEnv(),
  outcomes: outcomesFromEnv(),
  now: systemClock,
});
