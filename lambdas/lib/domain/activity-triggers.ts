import { logger } from '../observability.ts';
import type { ActivityStore } from '../ports/activities.ts';
import type { ProjectStore } from '../ports/projects.ts';
import type { WorkflowStarter } from '../ports/workflows.ts';
import { type Activity, scheduleOf, wantsEvent } from './activities.ts';
import { planRuns, runExecutionName, runIdForEvent, runIdForSchedule } from './misfires.ts';
import { canonicalInstant } from './schedule.ts';

export interface TriggerDeps {
  readonly activities: ActivityStore;
  readonly projects: Pick<ProjectStore, 'get'>;
  readonly workflows: WorkflowStarter;
}

/**
 * Only an active project runs activities: a fire or event for a project being deleted (or gone)
 * starts nothing — its schedules may still deliver a fire already in flight.
 */
const projectRuns = async (deps: TriggerDeps, projectId: string): Promise<boolean> => {
  const project = await deps.projects.get(projectId);
  if (project?.status === 'active') return true;
  logger.info('Trigger for a project that is not active; refused', {
    projectId,
    status: project?.status,
  });
  return false;
};

/** Starts `run-activity` for one run; a second start of the same run id is a no-op. */
const startRun = (
  deps: TriggerDeps,
  activity: Activity,
  runId: string,
  trigger: Record<string, unknown>,
) =>
  deps.workflows.start('run-activity', runExecutionName(runId), {
    projectId: activity.projectId,
    activityId: activity.activityId,
    runId,
    ...trigger,
    tasks: activity.tasks,
  });

/**
 * Handles one scheduler fire (docs/api.md, Activities): plans the runs against the high-water mark and the
 * misfire policy, starts each (deterministic names: a duplicate fire starts nothing new), then
 * moves the mark up. Starting before moving the mark makes a crash in between harmless.
 */
export const dispatchFire = async (
  deps: TriggerDeps,
  fire: { projectId: string; activityId: string; scheduledFor: string },
): Promise<string[]> => {
  if (!(await projectRuns(deps, fire.projectId))) return [];
  const activity = await deps.activities.get(fire.projectId, fire.activityId);
  const schedule = activity && scheduleOf(activity);
  if (!activity || !schedule) {
    logger.warn('Fire for an activity without a schedule; ignored', fire);
    return [];
  }
  const fired = canonicalInstant(fire.scheduledFor);
  const runs = planRuns({
    policy: activity.misfirePolicy,
    maxCatchup: activity.maxCatchup,
    ...(activity.highWater ? { highWater: activity.highWater } : {}),
    fired,
    schedule,
  });
  if (runs.length === 0)
    logger.info('Fire at or below the high-water mark, or off-schedule: no run', {
      ...fire,
      highWater: activity.highWater,
    });
  const runIds: string[] = [];
  for (const run of runs) {
    const runId = runIdForSchedule(activity.activityId, run.scheduledFor);
    await startRun(deps, activity, runId, {
      trigger: 'schedule',
      scheduledFor: run.scheduledFor,
      ...(run.window ? { window: run.window } : {}),
    });
    runIds.push(runId);
  }
  if (runs.length > 0)
    await deps.activities.advanceHighWater(activity.projectId, activity.activityId, fired);
  return runIds;
};

/** Starts `activity-{activityId}:{eventId}` for each activity listening to the event's type. */
export const routeEvent = async (
  deps: TriggerDeps,
  event: { projectId: string; eventId: string; type: string },
): Promise<string[]> => {
  if (!(await projectRuns(deps, event.projectId))) return [];
  const listening = (await deps.activities.list(event.projectId)).filter((a) =>
    wantsEvent(a, event.type),
  );
  const runIds: string[] = [];
  for (const activity of listening) {
    const runId = runIdForEvent(activity.activityId, event.eventId);
    await startRun(deps, activity, runId, { trigger: 'event', eventId: event.eventId });
    runIds.push(runId);
  }
  return runIds;
};
