import { EventBridgeScheduleDeletions } from '#lib/adapters/eventbridge-scheduler.ts';
import type { ActivityStore, ScheduleManager } from '#lib/ports/activities.ts';
import { stepHandler } from '#lib/step.ts';
import { activitiesFromEnv } from '#lib/wiring/activities.ts';
import { projectInput } from './schemas.ts';

/**
 * StopSchedules (deprovisioning): deletes the EventBridge Scheduler schedule of every activity of
 * the project, so no fire (and no `http-ping` to a tenant URL) happens after deletion. A schedule
 * already gone is skipped; fires already in flight are refused by the dispatcher.
 */
export const makeHandler = (deps: {
  activities: ActivityStore;
  schedules: Pick<ScheduleManager, 'remove'>;
}) =>
  stepHandler(projectInput, async ({ projectId }) => {
    const activities = await deps.activities.list(projectId);
    for (const activity of activities) await deps.schedules.remove(activity);
    return { projectId, schedulesDeleted: activities.length };
  });

export const handler = makeHandler({
  activities: activitiesFromEnv(),
  schedules: new EventBridgeScheduleDeletions(),
});
