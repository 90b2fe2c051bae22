import { logRun, type RunDeps } from '#lib/domain/runs.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import { runInput } from './schemas.ts';

/**
 * LogRun: `INSERT … ON CONFLICT DO NOTHING` of the run; plans its task slots (positions, not
 * instances, so the Map's state stays small whatever the run id and task URLs).
 */
export const makeHandler = (deps: RunDeps) =>
  stepHandler(runInput, ({ tasks, ...run }) => logRun(deps, run, tasks));

export const handler = makeHandler({
  runs: runsFromEnv(),
  outcomes: outcomesFromEnv(),
  now: systemClock,
});
