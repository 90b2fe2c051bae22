import { failDelivery } from '#lib/domain/delivery.ts';
import type { OutcomeCounter } from '#lib/ports/outcomes.ts';
import type { ProjectEventStore } from '#lib/ports/project-events.ts';
import { stepHandler } from '#lib/step.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import { eventsFromEnv } from '#lib/wiring/project-events.ts';
import { eventInput } from './schemas.ts';

/** MarkDeliveryFailed: after the last retry, a still-pending delivery becomes failed. */
export const makeHandler = (deps: { events: ProjectEventStore; outcomes: OutcomeCounter }) =>
  stepHandler(eventInput, ({ projectId, eventId }) => failDelivery(deps, projectId, eventId));

export const handler = makeHandler({ events: eventsFromEnv(), outcomes: outcomesFromEnv() });
