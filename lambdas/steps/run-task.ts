import { pingFromEnv } from '#lib/adapters/http-webhooks.ts';
import { taskInstanceAt } from '#lib/domain/activities.ts';
import { type TaskDeps, taskTypes } from '#lib/domain/task-types.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { InvalidStepInput, stepHandler } from '#lib/step.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import * as z from '#lib/zod.ts';
import { projectId, taskSlot, taskSpecs } from './schemas.ts';

/**
 * RunTask: upserts the instance at its slot (`task-{runId}:{type}:{index}`) as running, runs it
 * by its type, settles it once. An instance already settled is returned without running again.
 */
export const makeHandler = (deps: TaskDeps & { runs: RunStore }) =>
  stepHandler(
    z.object({ projectId, runId: z.string(), tasks: taskSpecs, slot: taskSlot }),
    async ({ projectId, runId, tasks, slot }) => {
      const instance = taskInstanceAt(runId, tasks, slot);
      if (!instance) throw new InvalidStepInput(`No task instance at ${JSON.stringify(slot)}`);
      const started = await deps.runs.startTask(projectId, {
        id: instance.id,
        runId,
        type: instance.type,
        index: instance.index,
      });
      if (started.status !== 'running') return { id: started.id, status: started.status };
      const outcome = await taskTypes[instance.type](instance, deps);
      const settled = await deps.runs.finishTask(projectId, { ...started, ...outcome });
      return { id: settled.id, status: settled.status };
    },
  );

export const handler = makeHandler({ runs: runsFromEnv(), ping: pingFromEnv() });
