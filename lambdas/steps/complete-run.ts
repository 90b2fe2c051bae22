import { instanceCountOf } from '#lib/domain/activities.ts';
import { EffectInProgress } from '#lib/errors.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import * as z from '#lib/zod.ts';
import { runInput } from './schemas.ts';

/**
 * CompleteRun: runs once the Map is over (or once LogRun gave up), so no instance is still being
 * worked on. An instance left `running` (its task gave up after its retries, or never got past its
 * upsert) is settled `failed`; the run succeeds when every planned instance succeeded, and is
 * settled once with a reason when not. The outcome is read from the table, not carried through the
 * state; the run itself comes from the execution's input, so a run that LogRun never managed to
 * write is logged here, already failed.
 */
export const makeHandler = (deps: { runs: RunStore; now: () => Date }) =>
  stepHandler(z.object({ run: runInput, startedAt: z.string() }), async ({ run, startedAt }) => {
    const { projectId, runId, tasks } = run;
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
    const at = deps.now().toISOString();
    const finished = await deps.runs.finishRun(projectId, runId, outcome, at);
    if (finished) return { runId, status: finished.status };
    // No run record: every LogRun attempt failed before its write. Log it as failed now.
    const { tasks: _, ...fields } = run;
    const { run: logged } = await deps.runs.logRun({
      ...fields,
      status: 'failed',
      startedAt,
      finishedAt: at,
      reason: `the run could not be logged (LogRun gave up after its retries); none of its ${planned} task instances ran`,
    });
    // A late LogRun attempt wrote it first, as running: the retry settles it.
    if (logged.status === 'running')
      throw new EffectInProgress(`Run ${runId} was logged while being completed`);
    return { runId, status: logged.status };
  });

export const handler = makeHandler({ runs: runsFromEnv(), now: systemClock });
