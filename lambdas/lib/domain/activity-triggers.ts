import { logger } from '../observability.ts';
import type { ActivityStore } from '../ports/activities.ts';
import type { OutcomeCounter } from '../ports/outcomes.ts';
import type { ProjectStore } from '../ports/projects.ts';
import type { WorkflowStarter } from '../ports/workflows.ts';
import { type Activity, scheduleNameOf, scheduleOf, wantsEvent } from './activities.ts';
import {
  type FirePlan,
  planRuns,
  runExecutionName,
  runIdForEvent,
  runIdForSchedule,
  skippedSlots,
} from './misfires.ts';
import { canonicalInstant } from './schedule.ts';

export interface TriggerDeps {
  readonly activities: ActivityStore;
  readonly projects: Pick<ProjectStore, 'get'>;
  readonly workflows: WorkflowStarter;
  readonly outcomes: OutcomeCounter;
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

/**
 * Starts `run-activity` for one run; a second start of the same run id is a no-op. The
 * correlation id names what triggered it (the schedule fire, the event).
 */
const startRun = (
  deps: TriggerDeps,
  activity: Activity,
  runId: string,
  trigger: Record<string, unknown>,
  correlationId: string,
) =>
  deps.workflows.start('run-activity', runExecutionName(runId), {
    projectId: activity.projectId,
    activityId: activity.activityId,
    runId,
    ...trigger,
    tasks: activity.tasks,
    correlationId,
  });

/** The correlation id of a schedule fire: the schedule's name and the slot it fired for. */
export const fireCorrelationId = (fire: {
  projectId: string;
  activityId: string;
  scheduledFor: string;
}): string => `${scheduleNameOf(fire.projectId, fire.activityId)}@${fire.scheduledFor}`;

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
  const plan: FirePlan = {
    policy: activity.misfirePolicy,
    maxCatchup: activity.maxCatchup,
    ...(activity.highWater ? { highWater: activity.highWater } : {}),
    fired,
    schedule,
  };
  const runs = planRuns(plan);
  if (runs.length === 0)
    logger.info('Fire at or below the high-water mark, or off-schedule: no run', {
      ...fire,
      highWater: activity.highWater,
    });
  const runIds: string[] = [];
  for (const run of runs) {
    const runId = runIdForSchedule(activity.activityId, run.scheduledFor);
    await startRun(
      deps,
      activity,
      runId,
      {
        trigger: 'schedule',
        scheduledFor: run.scheduledFor,
        ...(run.window ? { window: run.window } : {}),
      },
      fireCorrelationId(fire),
    );
    runIds.push(runId);
  }
  if (runs.length === 0) return runIds;
  // Only the fire whose mark move landed counts the slots it dropped: a duplicate counts none.
  if (await deps.activities.advanceHighWater(activity.projectId, activity.activityId, fired)) {
    const skipped = skippedSlots(plan);
    if (skipped > 0) deps.outcomes.count('RunsSkipped', skipped);
  }
  return runIds;
};

/**
 * Starts `activity-{activityId}:{eventId}` for each activity listening to the event's type; the
 * bus event's id is the runs' correlation id.
 */
export const routeEvent = async (
  deps: TriggerDeps,
  event: { projectId: string; eventId: string; type: string; correlationId: string },
): Promise<string[]> => {
  if (!(await projectRuns(deps, event.projectId))) return [];
  const listening = (await deps.activities.list(event.projectId)).filter((a) =>
    wantsEvent(a, event.type),
  );
  const runIds: string[] = [];
  for (const activity of listening) {
    const runId = runIdForEvent(activity.activityId, event.eventId);
    await startRun(
      deps,
      activity,
      runId,
      { trigger: 'event', eventId: event.eventId },
      event.correlationId,
    );
    runIds.push(runId);
  }
  return runIds;
};
