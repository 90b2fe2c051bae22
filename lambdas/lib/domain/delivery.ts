import { effectDone } from '../crash-point.ts';
import { DomainError, EffectInProgress } from '../errors.ts';
import type { OutcomeCounter } from '../ports/outcomes.ts';
import type { DeliveryUpdate, ProjectEventStore } from '../ports/project-events.ts';
import type { SecretBox } from '../ports/secrets.ts';
import type { WebhookEndpointStore } from '../ports/webhook-endpoints.ts';
import { WebhookRejected, type WebhookSender } from '../ports/webhooks.ts';
import { type ProjectEvent, webhookBody } from './project-events.ts';
import { wants } from './webhook-endpoint.ts';
import { signWebhook } from './webhook-signing.ts';

export interface DeliveryDeps {
  readonly events: ProjectEventStore;
  readonly endpoints: Pick<WebhookEndpointStore, 'get'>;
  readonly secrets: SecretBox;
  readonly sender: WebhookSender;
  readonly outcomes: OutcomeCounter;
  readonly now: () => Date;
}

/** The event a delivery is for does not exist: nothing to retry. */
export class EventNotFound extends DomainError {
  constructor(projectId: string, eventId: string) {
    super(`No event ${eventId} in project ${projectId}`);
    this.name = 'EventNotFound';
  }
}

/** What a delivery step returns: the settled (or current) delivery of the event. */
const outcome = (event: ProjectEvent) => ({
  projectId: event.projectId,
  eventId: event.id,
  delivery: event.delivery,
});

const existing = (
  event: ProjectEvent | undefined,
  projectId: string,
  eventId: string,
): ProjectEvent => {
  if (!event) throw new EventNotFound(projectId, eventId);
  return event;
};

/** The event after a delivery write; the write that settled the delivery counts its outcome. */
const afterWrite = (
  deps: Pick<DeliveryDeps, 'outcomes'>,
  update: DeliveryUpdate,
  projectId: string,
  eventId: string,
): ProjectEvent => {
  const event = existing(update.event, projectId, eventId);
  if (update.settled)
    deps.outcomes.count(
      event.delivery.status === 'delivered' ? 'WebhooksDelivered' : 'WebhooksFailed',
    );
  return event;
};

const reload = async (deps: Pick<DeliveryDeps, 'events'>, projectId: string, eventId: string) =>
  existing(await deps.events.get(projectId, eventId), projectId, eventId);

/**
 * One delivery attempt. A settled delivery is returned as it is — a retry after success never
 * posts again. Otherwise: claim the attempt (one POST at a time per event, even when the step is
 * invoked twice at once), sign with a fresh timestamp (same `webhook-id`, same
 * body), POST, record the answer; a non-2xx throws `WebhookRejected` so the ASL retries.
 */
export const attemptDelivery = async (deps: DeliveryDeps, projectId: string, eventId: string) => {
  const event = await reload(deps, projectId, eventId);
  if (event.delivery.status !== 'pending') return outcome(event);
  const endpoint = await deps.endpoints.get(projectId);
  if (!endpoint || !wants(endpoint, event.type)) {
    return outcome(
      afterWrite(deps, await deps.events.markFailed(projectId, eventId), projectId, eventId),
    );
  }
  const claim = await deps.events.claimAttempt(projectId, eventId, deps.now());
  if (!claim.claimed) {
    const current = existing(claim.event, projectId, eventId);
    if (current.delivery.status !== 'pending') return outcome(current);
    // Another attempt is posting (a duplicate invocation, or one that timed out and still runs).
    // Retryable: the step's retry window outlasts the claim lease (retry-timing.ts).
    throw new EffectInProgress(`Delivery of ${eventId} is being attempted by another invocation`);
  }
  const secret = await deps.secrets.open(endpoint.sealedSecret, { projectId });
  const body = webhookBody(event);
  const headers = signWebhook(secret, { id: event.id, body, at: deps.now() });
  const { statusCode } = await deps.sender.send({ url: endpoint.url, body, headers });
  await effectDone('webhook.post');
  const answered = await deps.events.recordAnswer(
    projectId,
    eventId,
    statusCode,
    deps.now().toISOString(),
  );
  if (statusCode < 200 || statusCode > 299) throw new WebhookRejected(statusCode);
  return outcome(afterWrite(deps, answered, projectId, eventId));
};

/** After the last retry: a still-pending delivery becomes `failed`. */
export const failDelivery = async (
  deps: Pick<DeliveryDeps, 'events' | 'outcomes'>,
  projectId: string,
  eventId: string,
) => {
  return outcome(
    afterWrite(deps, await deps.events.markFailed(projectId, eventId), projectId, eventId),
  );
};
