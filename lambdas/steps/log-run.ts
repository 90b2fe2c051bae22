import { taskSlotsOf } from '#lib/domain/activities.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import { runInput } from './schemas.ts';

/**
 * LogRun: `INSERT … ON CONFLICT DO NOTHING` of the run; plans its task slots (positions, not
 * instances, so the Map's state stays small whatever the run id and task URLs).
 */
export const makeHandler = (deps: { runs: RunStore; now: () => Date }) =>
  stepHandler(runInput, async ({ tasks, ...run }) => {
    const logged = await deps.runs.logRun({
      ...run,
      status: 'running',
      startedAt: deps.now().toISOString(),
    });
    return { runId: logged.runId, slots: taskSlotsOf(tasks) };
  });

export const handler = makeHandler({ runs: runsFromEnv(), now: systemClock });
