import { IdempotencyKeyReused } from '../errors.ts';
import { executionName } from '../ids.ts';
import type { EventPublisher, ProjectEventStore } from '../ports/project-events.ts';
import type { WebhookEndpointStore } from '../ports/webhook-endpoints.ts';
import type { WorkflowStarter } from '../ports/workflows.ts';
import type { ProjectEvent } from './project-events.ts';
import { wants } from './webhook-endpoint.ts';

export interface IngressDeps {
  readonly events: ProjectEventStore;
  readonly endpoints: Pick<WebhookEndpointStore, 'get'>;
  readonly workflows: WorkflowStarter;
  readonly publisher: EventPublisher;
  readonly now: () => Date;
}

/** The deliver-webhook execution of an event: one per (project, event id), ever. */
export const deliveryExecutionName = (projectId: string, eventId: string): string =>
  executionName('webhook', `${projectId}_${eventId}`);

/**
 * Accepts an event: records it once per id (a repeat with another type or data is refused), starts
 * its one delivery when the project's webhook wants it, and puts it on the bus for activities.
 * Every step is safe to repeat, so a POST that failed half-way is completed by its retry.
 */
export const ingestEvent = async (
  deps: IngressDeps,
  request: {
    projectId: string;
    eventId: string;
    type: string;
    dataJson: string;
    correlationId: string;
  },
): Promise<ProjectEvent> => {
  const endpoint = await deps.endpoints.get(request.projectId);
  const { event, created } = await deps.events.create({
    id: request.eventId,
    projectId: request.projectId,
    type: request.type,
    dataJson: request.dataJson,
    receivedAt: deps.now().toISOString(),
    delivery: { status: wants(endpoint, request.type) ? 'pending' : 'skipped', attempts: 0 },
  });
  if (!created && (event.type !== request.type || event.dataJson !== request.dataJson)) {
    throw new IdempotencyKeyReused(
      `Event ${event.id} was already posted with another type or data`,
    );
  }
  if (event.delivery.status === 'pending') {
    await deps.workflows.start(
      'deliver-webhook',
      deliveryExecutionName(event.projectId, event.id),
      {
        projectId: event.projectId,
        eventId: event.id,
        correlationId: request.correlationId,
      },
    );
  }
  await deps.publisher.publish(event);
  return event;
};
