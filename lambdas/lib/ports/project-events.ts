import type { ProjectEvent } from '../domain/project-events.ts';

/** The outcome of a claim: the event as it stands, absent when there is no such event. */
export type AttemptClaim =
  | { readonly claimed: true; readonly event: ProjectEvent }
  | { readonly claimed: false; readonly event?: ProjectEvent };

/**
 * What a delivery write answers: the event as it stands afterwards (absent when there is no such
 * event), and whether this write settled the delivery (false: it was settled already).
 */
export interface DeliveryUpdate {
  readonly event?: ProjectEvent;
  readonly settled: boolean;
}

/** Where posted events and their delivery state live. */
export interface ProjectEventStore {
  /**
   * Records the event unless its id exists (returns the stored one). Throws ProjectNotFound /
   * ProjectStateConflict when the project is missing or not active.
   */
  create(event: ProjectEvent): Promise<{ event: ProjectEvent; created: boolean }>;
  get(projectId: string, eventId: string): Promise<ProjectEvent | undefined>;
  /**
   * Claims the next attempt of a pending delivery for one claim lease and counts it. Refused
   * while another attempt holds an unexpired claim (two concurrent invocations post once) and
   * once the delivery is settled; the answer carries the event as it stands either way.
   */
  claimAttempt(projectId: string, eventId: string, at: Date): Promise<AttemptClaim>;
  /**
   * Records the answer of an attempt and releases its claim; a 2xx settles a pending delivery as
   * delivered. The event comes back as it stands afterwards (as it was, when no longer pending).
   */
  recordAnswer(
    projectId: string,
    eventId: string,
    statusCode: number,
    at: string,
  ): Promise<DeliveryUpdate>;
  /** Settles a still-pending delivery as failed; answers as recordAnswer does. */
  markFailed(projectId: string, eventId: string): Promise<DeliveryUpdate>;
}

/** Puts project events on the event bus for activities to consume. */
export interface EventPublisher {
  publish(event: Pick<ProjectEvent, 'id' | 'projectId' | 'type' | 'dataJson'>): Promise<void>;
}
