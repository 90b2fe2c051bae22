import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ENV, requireEnv } from '../config.ts';
import { withJsonMember } from '../domain/project-events.ts';
import { PROJECT_EVENT_SOURCE } from '../event-rules.ts';
import { tracer } from '../observability.ts';
import type { EventPublisher } from '../ports/project-events.ts';

/**
 * Puts project events on the EventBridge bus. EventBridge may deliver an event more than once
 * and this may put it more than once (a retried POST); consumers dedupe by event id.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly busName: string = requireEnv(ENV.eventBusName),
    private readonly client: EventBridgeClient = tracer.captureAWSv3Client(
      new EventBridgeClient({}),
    ),
  ) {}

  async publish(event: Parameters<EventPublisher['publish']>[0]): Promise<void> {
    const { FailedEntryCount, Entries } = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: PROJECT_EVENT_SOURCE,
            DetailType: event.type,
            Detail: withJsonMember(
              { projectId: event.projectId, eventId: event.id, type: event.type },
              'data',
              event.dataJson,
            ),
          },
        ],
      }),
    );
    if (FailedEntryCount) {
      throw new Error(
        `EventBridge refused event ${event.id}: ${Entries?.[0]?.ErrorCode} ${Entries?.[0]?.ErrorMessage}`,
      );
    }
  }
}
