import type { EventBridgeEvent } from 'aws-lambda';
import { SfnWorkflows } from '#lib/adapters/sfn-workflows.ts';
import { routeEvent, type TriggerDeps } from '#lib/domain/activity-triggers.ts';
import { instrumented, logger } from '#lib/observability.ts';
import { activitiesFromEnv } from '#lib/wiring/activities.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import * as z from '#lib/zod.ts';

const detail = z.object({
  projectId: z.string(),
  eventId: z.string().check(z.minLength(1)),
  type: z.string(),
});

/**
 * The events bus rule's target: starts `activity-{activityId}:{eventId}` for every activity that
 * listens to the event's type. EventBridge delivers at least once; a redelivery starts nothing new.
 */
export const makeHandler = (deps: TriggerDeps) =>
  instrumented(
    async (event: EventBridgeEvent<string, unknown>) => {
      const parsed = detail.safeParse(event.detail);
      if (!parsed.success) {
        logger.warn('Event without a project event detail; ignored', { id: event.id });
        return { runIds: [] };
      }
      return { runIds: await routeEvent(deps, { ...parsed.data, correlationId: event.id }) };
    },
    (event) => event.id,
  );

export const handler = makeHandler({
  activities: activitiesFromEnv(),
  projects: projectsFromEnv(),
  workflows: new SfnWorkflows(['run-activity']),
  outcomes: outcomesFromEnv(),
});
