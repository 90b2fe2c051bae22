import type { ProjectEvent } from '../domain/project-events.ts';

/** Where posted events and their delivery state live. */
export interface ProjectEventStore {
  /**
   * Records the event unless its id exists (returns the stored one). Throws ProjectNotFound /
   * ProjectStateConflict when the project is missing or not active.
   */
  create(event: ProjectEvent): Promise<{ event: ProjectEvent; created: boolean }>;
  get(projectId: string, eventId: string): Promise<ProjectEvent | undefined>;
  /** Counts one more attempt of a pending delivery; undefined when it is no longer pending. */
  startAttempt(projectId: string, eventId: string): Promise<number | undefined>;
  /**
   * Records the answer of an attempt; a 2xx settles the delivery as delivered. Returns the event
   * as it stands afterwards (as it was, when no longer pending); undefined when it does not exist.
   */
  recordAnswer(
    projectId: string,
    eventId: string,
    statusCode: number,
    at: string,
  ): Promise<ProjectEvent | undefined>;
  /** Settles a still-pending delivery as failed; returns the event as recordAnswer does. */
  markFailed(projectId: string, eventId: string): Promise<ProjectEvent | undefined>;
}

/** Puts project events on the event bus for activities to consume. */
export interface EventPublisher {
  publish(event: Pick<ProjectEvent, 'id' | 'projectId' | 'type' | 'dataJson'>): Promise<void>;
}
