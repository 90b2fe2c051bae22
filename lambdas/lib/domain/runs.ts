import type { RunStore } from '../ports/activities.ts';
import type { OutcomeCounter } from '../ports/outcomes.ts';
import { type ActivityRun, type TaskSlot, type TaskSpec, taskSlotsOf } from './activities.ts';

export interface RunDeps {
  readonly runs: RunStore;
  readonly outcomes: OutcomeCounter;
  readonly now: () => Date;
}

/**
 * LogRun: logs the run once (`INSERT … ON CONFLICT DO NOTHING`) and plans its task slots. Only
 * the attempt that logged it counts the run as started.
 */
export const logRun = async (
  deps: RunDeps,
  run: Omit<ActivityRun, 'status' | 'startedAt' | 'finishedAt' | 'reason'>,
  tasks: readonly TaskSpec[],
): Promise<{ runId: string; slots: TaskSlot[] }> => {
  const { run: logged, created } = await deps.runs.logRun({
    ...run,
    status: 'running',
    startedAt: deps.now().toISOString(),
  });
  if (created) deps.outcomes.count('RunsStarted');
  return { runId: logged.runId, slots: taskSlotsOf(tasks) };
};
