import { ENV } from './config.ts';

/**
 * EventBridge buses and rules as plain data: CDK builds the bus, rules and targets from this
 * module, and the twin's in-process bus (`infra/local/eventbridge/event-bus.ts`) routes by the same rules.
 */

/** `source` of every event the events ingress (`POST …/events`) puts on the bus. */
export const PROJECT_EVENT_SOURCE = 'retrysafe.events';

/** The buses; `nameEnv` carries the bus name to the functions that put events on it. */
export const eventBuses = {
  events: { id: 'EventsBus', nameEnv: ENV.eventBusName },
} as const;

export type EventBusKey = keyof typeof eventBuses;

/**
 * One matcher in a pattern field's list. The subset the rules use, and all the twin matches:
 * an exact value, `{ prefix }` on strings, and `{ exists }` on leaf fields.
 */
export type PatternMatcher =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly exists: boolean };

/**
 * An EventBridge event pattern: every field must match (AND); a field's list matches when any of
 * its matchers does (OR); an object nests into the event (`detail.projectId`, …).
 */
export interface EventPattern {
  readonly [field: string]: readonly PatternMatcher[] | EventPattern;
}

export interface EventRule {
  /** Rule name (CDK construct id and the twin's delivery log use it). */
  readonly name: string;
  readonly description: string;
  readonly bus: EventBusKey;
  readonly pattern: EventPattern;
  /** Name of the function the rule invokes: an entry of `lambdas/events/functions.ts`. */
  readonly target: string;
}

export const eventRules = [
  {
    name: 'RouteProjectEvents',
    description: 'Project events from the ingress go to the event router, which starts activities',
    bus: 'events',
    pattern: { source: [PROJECT_EVENT_SOURCE] },
    target: 'EventRouter',
  },
] as const satisfies readonly EventRule[];
