import type { RunStore } from '#lib/ports/activities.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import * as z from '#lib/zod.ts';
import { projectId } from './schemas.ts';

/** CompleteRun: the run succeeds when every task instance did; settled once. */
export const makeHandler = (deps: { runs: RunStore; now: () => Date }) =>
  stepHandler(
    z.object({
      projectId,
      runId: z.string(),
      results: z.array(z.object({ id: z.string(), status: z.string() })),
    }),
    async ({ projectId, runId, results }) => {
      const status = results.every((r) => r.status === 'succeeded') ? 'succeeded' : 'failed';
      const run = await deps.runs.finishRun(projectId, runId, status, deps.now().toISOString());
      return { runId, status: run.status };
    },
  );

export const handler = makeHandler({ runs: runsFromEnv(), now: systemClock });
