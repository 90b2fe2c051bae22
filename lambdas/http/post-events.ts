import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { EventBridgePublisher } from '#lib/adapters/eventbridge-publisher.ts';
import { SfnWorkflows } from '#lib/adapters/sfn-workflows.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { type IngressDeps, ingestEvent } from '#lib/domain/event-ingress.ts';
import { eventIdFor } from '#lib/domain/project-events.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { memberText } from '#lib/http/json-text.ts';
import { rawBodyOf } from '#lib/http/request.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute, type RouteRequest } from '#lib/http/route.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { eventsFromEnv } from '#lib/wiring/project-events.ts';
import { endpointsFromEnv } from '#lib/wiring/webhook-endpoints.ts';
import { postEvents } from './contracts.ts';

/** `webhook:{eventId}` is kept 24 hours: a day of client retries replays the same answer. */
export const WEBHOOK_TTL_SECONDS = 86_400;

/**
 * `POST /v1/projects/{projectId}/events` → 202 `{id, type}`. Without an `id`, the event id is
 * derived from the Idempotency-Key (the ingress is the one place ids are made), so a retried POST
 * names the same event and is delivered once.
 */
export const makeHandler = (deps: IngressDeps & { idempotency: IdempotencyRunner }) => {
  const eventIdOf = (projectId: string, body: { id?: string }, requestId: string) =>
    body.id ?? eventIdFor(projectId, requestId);
  /**
   * `data` as the client wrote it (whitespace aside): the client owns it, so it is kept as JSON
   * text — parsed objects lose `__proto__` keys and big numbers, and DynamoDB maps refuse empty
   * keys and deep nesting.
   */
  const dataJsonOf = ({ event, body }: RouteRequest<unknown, { data: unknown }, unknown>) =>
    memberText(rawBodyOf(event) ?? '', 'data') ?? JSON.stringify(body.data);
  return httpRoute(
    {
      ...postEvents,
      clientJson: true,
      idempotency: {
        ttlSeconds: WEBHOOK_TTL_SECONDS,
        operation: ({ params, body, idempotencyKey }) => ({
          key: `webhook:${eventIdOf(params.projectId, body, idempotencyKey)}`,
          projectId: params.projectId,
        }),
        fingerprintBody: (request) => ({ ...request.body, data: dataJsonOf(request) }),
      },
      handle: async (request) => {
        const { params, body, idempotencyKey } = request;
        const event = await ingestEvent(deps, {
          projectId: params.projectId,
          eventId: eventIdOf(params.projectId, body, idempotencyKey),
          type: body.type,
          dataJson: dataJsonOf(request),
          correlationId: request.correlationId,
        });
        return json(
          202,
          { id: event.id, type: event.type },
          {
            Location: `/v1/projects/${event.projectId}/events/${event.id}`,
          },
        );
      },
    },
    deps.idempotency,
  );
};

export const handler = makeHandler({
  events: eventsFromEnv(),
  endpoints: endpointsFromEnv(),
  workflows: new SfnWorkflows(['deliver-webhook']),
  publisher: new EventBridgePublisher(),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
