import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { RunStore } from '#lib/ports/activities.ts';
import { runsFromEnv } from '#lib/wiring/runs.ts';
import { getRuns } from './contracts.ts';

/** `GET …/activities/{activityId}/runs` → the run log, newest first, with task instances. */
export const makeHandler = (deps: { runs: Pick<RunStore, 'runs'> }) =>
  httpRoute({
    ...getRuns,
    handle: async ({ params }) => {
      const runs = await deps.runs.runs(params.projectId, params.activityId);
      return json(200, {
        runs: runs.map(({ projectId: _, activityId: __, tasks, ...run }) => ({
          ...run,
          tasks: tasks
            .sort((a, b) => a.id.localeCompare(b.id))
            .map(({ id, type, index, status }) => ({ id, type, index, status })),
        })),
      });
    },
  });

export const handler = makeHandler({ runs: runsFromEnv() });
