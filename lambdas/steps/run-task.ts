import { pingFromEnv } from '#lib/adapters/http-webhooks.ts';
import { type TaskDeps, taskTypes } from '#lib/domain/task-types.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { stepHandler } from '#lib/step.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import * as z from '#lib/zod.ts';
import { projectId, taskInstanceInput } from './schemas.ts';

/**
 * RunTask: upserts the instance (`task-{runId}:{type}:{index}`) as running, runs it by its type,
 * settles it once. An instance already settled is returned without running again.
 */
export const makeHandler = (deps: TaskDeps & { runs: RunStore }) =>
  stepHandler(
    z.object({ projectId, activityId: z.string(), runId: z.string(), instance: taskInstanceInput }),
    async ({ projectId, runId, instance }) => {
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
