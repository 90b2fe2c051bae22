import { SfnWorkflows } from '#lib/adapters/sfn-workflows.ts';
import {
  dispatchFire,
  fireCorrelationId,
  type TriggerDeps,
} from '#lib/domain/activity-triggers.ts';
import { instrumented } from '#lib/observability.ts';
import { InvalidStepInput } from '#lib/step.ts';
import { activitiesFromEnv } from '#lib/wiring/activities.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import * as z from '#lib/zod.ts';

const fire = z.object({ projectId: z.string(), activityId: z.string(), scheduledFor: z.string() });

/**
 * Every activity schedule's target: `{projectId, activityId, scheduledFor}`. Scheduler delivers
 * at least once and may be late; the misfire policy and the high-water mark decide the runs.
 */
export const makeHandler = (deps: TriggerDeps) =>
  instrumented(
    async (event: unknown) => {
      const parsed = fire.safeParse(event);
      if (!parsed.success)
        throw new InvalidStepInput('Not a schedule fire', { cause: parsed.error });
      return { runIds: await dispatchFire(deps, parsed.data) };
    },
    (event) => {
      const parsed = fire.safeParse(event);
      return parsed.success ? fireCorrelationId(parsed.data) : undefined;
    },
  );

export const handler = makeHandler({
  activities: activitiesFromEnv(),
  projects: projectsFromEnv(),
  workflows: new SfnWorkflows(['run-activity']),
  outcomes: outcomesFromEnv(),
});
