import { instanceCountOf } from '#lib/domain/activities.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import * as z from '#lib/zod.ts';
import { projectId, taskSpecs } from './schemas.ts';

/**
 * CompleteRun: runs once the Map is over, so no instance is still being worked on. An instance
 * left `running` (its task gave up after its retries, or never got past its upsert) is settled
 * `failed`; the run succeeds when every planned instance succeeded, and is settled once with a
 * reason when not. The outcome is read from the table, not carried through the state.
 */
export const makeHandler = (deps: { runs: RunStore; now: () => Date }) =>
  stepHandler(
    z.object({ projectId, runId: z.string(), tasks: taskSpecs }),
    async ({ projectId, runId, tasks }) => {
      const planned = instanceCountOf(tasks);
      let succeeded = 0;
      for (const task of await deps.runs.tasksOf(projectId, runId)) {
        const settled =
          task.status === 'running'
            ? await deps.runs.finishTask(projectId, {
                ...task,
                status: 'failed',
                result: { error: 'the task gave up after its retries' },
              })
            : task;
        if (settled.status === 'succeeded') succeeded += 1;
      }
      const outcome =
        succeeded === planned
          ? { status: 'succeeded' as const }
          : {
              status: 'failed' as const,
              reason: `${planned - succeeded} of ${planned} task instances did not succeed`,
            };
      const run = await deps.runs.finishRun(projectId, runId, outcome, deps.now().toISOString());
      return { runId, status: run.status };
    },
  );

export const handler = makeHandler({ runs: runsFromEnv(), now: systemClock });
