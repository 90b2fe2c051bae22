/**
 * The business outcomes operators count. Each is reported once per outcome, by the code whose
 * write moved the record into it — never by a retry that found the write already done.
 */
export const OUTCOMES = [
  'ProjectsProvisioned',
  'ProvisioningFailed',
  'ChargesSucceeded',
  'ChargesDeclined',
  'Refunds',
  'WebhooksDelivered',
  'WebhooksFailed',
  'RunsStarted',
  'RunsSkipped',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Where outcomes are counted. */
export interface OutcomeCounter {
  /** Counts `count` (default 1) occurrences of the outcome. */
  count(outcome: Outcome, count?: number): void;
}

/** Counts nothing: for callers that report no outcome. */
export const uncounted: OutcomeCounter = { count: () => undefined };
