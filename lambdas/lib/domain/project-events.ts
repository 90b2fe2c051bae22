import { derivedId } from '../ids.ts';

/** Where an event stands with the project's webhook. `skipped`: no webhook wanted it. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface Delivery {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode?: number;
  readonly deliveredAt?: string;
}

/** An event a project posted: recorded once per id, delivered to its webhook at most once. */
export interface ProjectEvent {
  readonly id: string;
  readonly projectId: string;
  readonly type: string;
  readonly data: unknown;
  readonly receivedAt: string;
  readonly delivery: Delivery;
}

/**
 * The id of an event posted without one: derived from (project, Idempotency-Key), so a retried
 * POST names the same event. The ingress is the only place ids are made.
 */
export const eventIdFor = (projectId: string, requestId: string): string =>
  `evt_${derivedId(24, 'event', projectId, requestId)}`;

/** `GET …/events/{eventId}`. */
export const eventView = (event: ProjectEvent) => ({
  id: event.id,
  type: event.type,
  receivedAt: event.receivedAt,
  delivery: event.delivery,
});

/** The webhook body: the same bytes on every attempt, so a receiver can compare retries. */
export const webhookBody = (event: ProjectEvent): string =>
  JSON.stringify({ id: event.id, type: event.type, timestamp: event.receivedAt, data: event.data });
