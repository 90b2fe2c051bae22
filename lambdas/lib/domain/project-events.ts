import { derivedId } from '../ids.ts';

/** Where an event stands with the project's webhook. `skipped`: no webhook wanted it. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

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
  /**
   * The client's `data` as compact JSON text, delivered as is: kept as text so any JSON the client
   * sends (any keys, numbers beyond float precision, nesting to the body limit) arrives unchanged.
   */
  readonly dataJson: string;
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

/**
 * JSON text of an object with `fields` followed by member `name` holding `json` text verbatim,
 * so client JSON is never parsed and re-serialized on its way out.
 */
export const withJsonMember = (fields: Record<string, unknown>, name: string, json: string) => {
  const head = JSON.stringify(fields);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}${JSON.stringify(name)}:${json}}`;
};

/** The webhook body: the same bytes on every attempt, so a receiver can compare retries. */
export const webhookBody = (event: ProjectEvent): string =>
  withJsonMember(
    { id: event.id, type: event.type, timestamp: event.receivedAt },
    'data',
    event.dataJson,
  );
