import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { EventBridgeSchedules } from '#lib/adapters/eventbridge-scheduler.ts';
import { urlPolicyFromEnv } from '#lib/adapters/http-webhooks.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { activityView } from '#lib/domain/activities.ts';
import { type ActivityConfigDeps, configureActivity } from '#lib/domain/activity-config.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { activitiesFromEnv } from '#lib/wiring/activities.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { putActivity } from './contracts.ts';

/** A retried PUT replays its answer for an hour. */
export const PUT_ACTIVITY_TTL_SECONDS = 3600;

/**
 * `PUT /v1/projects/{projectId}/activities/{activityId}` → 200 with the activity; creates or
 * updates its EventBridge Scheduler schedule. Mismatched dedupeKeyStrategy → 422; a bad
 * schedule or timezone → 400.
 */
export const makeHandler = (deps: ActivityConfigDeps & { idempotency: IdempotencyRunner }) =>
  httpRoute(
    {
      ...putActivity,
      idempotency: {
        ttlSeconds: PUT_ACTIVITY_TTL_SECONDS,
        operation: ({ params, idempotencyKey }) => ({
          key: `activity:${params.projectId}:${params.activityId}:${idempotencyKey}`,
          projectId: params.projectId,
        }),
      },
      handle: async ({ params, body }) => {
        const activity = await configureActivity(deps, {
          ...params,
          definition: {
            schedule: body.schedule ?? null,
            timezone: body.timezone,
            misfirePolicy: body.misfirePolicy,
            dedupeKeyStrategy: body.dedupeKeyStrategy,
            maxCatchup: body.maxCatchup,
            eventTypes: body.eventTypes ?? null,
            tasks: body.tasks,
          },
        });
        return json(200, activityView(activity));
      },
    },
    deps.idempotency,
  );

export const handler = makeHandler({
  activities: activitiesFromEnv(),
  schedules: new EventBridgeSchedules(),
  urlPolicy: urlPolicyFromEnv(),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
