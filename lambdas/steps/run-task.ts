import { pingFromEnv } from '#lib/adapters/http-webhooks.ts';
import { effectDone } from '#lib/crash-point.ts';
import { taskInstanceAt } from '#lib/domain/activities.ts';
import { type TaskDeps, taskTypes } from '#lib/domain/task-types.ts';
import { EffectInProgress } from '#lib/errors.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { InvalidStepInput, stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import * as z from '#lib/zod.ts';
import { projectId, taskSlot, taskSpecs } from './schemas.ts';

/**
 * RunTask: upserts the instance at its slot (`task-{runId}:{type}:{index}`) as running and claims
 * it for one lease, runs it by its type, settles it once. An instance already settled is returned
 * without running again; one another attempt holds (a duplicate invocation, or an attempt that
 * timed out and still runs) is retried later, when that attempt has settled it or its lease has
 * passed — so two live invocations never run one instance twice.
 */
export const makeHandler = (deps: TaskDeps & { runs: RunStore; now: () => Date }) =>
  stepHandler(
    z.object({ projectId, runId: z.string(), tasks: taskSpecs, slot: taskSlot }),
    async ({ projectId, runId, tasks, slot }) => {
      const instance = taskInstanceAt(runId, tasks, slot);
      if (!instance) throw new InvalidStepInput(`No task instance at ${JSON.stringify(slot)}`);
      const { claimed, task } = await deps.runs.startTask(
        projectId,
        { id: instance.id, runId, type: instance.type, index: instance.index },
        deps.now(),
      );
      if (task.status !== 'running') return { id: task.id, status: task.status };
      if (!claimed)
        throw new EffectInProgress(`Task instance ${task.id} is being run by another invocation`);
      const outcome = await taskTypes[instance.type](instance, deps);
      await effectDone(`task:${task.id}`);
      const settled = await deps.runs.finishTask(projectId, { ...task, ...outcome });
      return { id: settled.id, status: settled.status };
    },
  );

export const handler = makeHandler({ runs: runsFromEnv(), ping: pingFromEnv(), now: systemClock });
