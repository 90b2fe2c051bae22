import { eventView } from '#lib/domain/project-events.ts';
import { NotFound } from '#lib/errors.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { ProjectEventStore } from '#lib/ports/project-events.ts';
import { eventsFromEnv } from '#lib/wiring/project-events.ts';
import { getEvent } from './contracts.ts';

/** `GET /v1/projects/{projectId}/events/{eventId}` → the event and where its delivery stands. */
export const makeHandler = (deps: { events: Pick<ProjectEventStore, 'get'> }) =>
  httpRoute({
    ...getEvent,
    handle: async ({ params }) => {
      const event = await deps.events.get(params.projectId, params.eventId);
      if (!event) throw new NotFound(`No event ${params.eventId}`);
      return json(200, eventView(event));
    },
  });

export const handler = makeHandler({ events: eventsFromEnv() });
