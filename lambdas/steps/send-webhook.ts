import { webhooksFromEnv } from '#lib/adapters/http-webhooks.ts';
import { secretsFromEnv } from '#lib/adapters/kms-secrets.ts';
import { attemptDelivery, type DeliveryDeps } from '#lib/domain/delivery.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import { eventsFromEnv } from '#lib/wiring/project-events.ts';
import { endpointsFromEnv } from '#lib/wiring/webhook-endpoints.ts';
import { eventInput } from './schemas.ts';

/** SendWebhook: one signed POST of a still-pending event; a delivered one is left alone. */
export const makeHandler = (deps: DeliveryDeps) =>
  stepHandler(eventInput, ({ projectId, eventId }) => attemptDelivery(deps, projectId, eventId));

export const handler = makeHandler({
  events: eventsFromEnv(),
  endpoints: endpointsFromEnv(),
  secrets: secretsFromEnv(),
  sender: webhooksFromEnv(),
  outcomes: outcomesFromEnv(),
  now: systemClock,
});
