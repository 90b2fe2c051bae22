import { randomUUID } from 'node:crypto';
import {
  type EventBusKey,
  type EventRule,
  eventBuses,
  eventRules,
} from '../../../lambdas/lib/event-rules.ts';
import type { JsonOperation } from '../aws/aws-endpoint.ts';
import { AwsError } from '../aws/aws-error.ts';
import { AWS_LIMITS, putEventsEntrySize } from '../aws/aws-limits.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';
import { assertSupportedPattern, matchesPattern } from './event-pattern.ts';

/** Invokes a function by name, as `LocalFunctions.invoke` does. */
export type Invoker = (functionName: string, event: unknown) => Promise<unknown>;

/** The event a rule target receives (EventBridge's envelope, `detail` parsed). */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** One accepted entry, with the rules it matched. */
export interface PutRecord {
  readonly eventBusName: string;
  readonly envelope: EventEnvelope;
  readonly rules: readonly string[];
}

/** How one rule's delivery of one event ended. */
export interface DeliveryRecord {
  readonly eventId: string;
  readonly rule: string;
  readonly target: string;
  readonly attempts: number;
  readonly status: 'delivered' | 'failed';
  readonly error?: string;
}

export interface LocalEventBusOptions {
  readonly invoke: Invoker;
  readonly rules?: readonly EventRule[];
  /** Bus names by key; default {@link localBusName}. */
  readonly busNames?: Readonly<Record<EventBusKey, string>>;
  /** Retries after a failed target invocation (Lambda's async invoke retries twice). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

/** The twin's name for a bus; the twin sets each bus's `nameEnv` variable to it. */
export const localBusName = (bus: EventBusKey): string => `retrysafe-${bus}`;

const MAX_ENTRIES = 10;

/** `name` or `arn:…:event-bus/name` → `name`; absent → the account's `default` bus. */
const busNameOf = (value: unknown): string =>
  typeof value === 'string' && value !== '' ? value.replace(/^arn:.*:event-bus\//, '') : 'default';

/** EventBridge's time format: ISO-8601 in UTC to the second. */
const timeOf = (value: unknown): string => {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date();
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

const entryError = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });

const parseDetail = (detail: unknown): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(String(detail));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The twin's EventBridge: `AWSEvents.PutEvents` as `@aws-sdk/client-eventbridge` sends it. Each
 * accepted entry becomes an envelope, delivered after the response (asynchronously, as in AWS)
 * to the target of every rule on its bus whose pattern matches; a failed invocation is retried
 * like Lambda's async invoke. Puts and deliveries are logged for tests; `idle()` awaits delivery.
 */
export class LocalEventBus {
  private readonly rules: readonly EventRule[];
  private readonly busNames: Readonly<Record<EventBusKey, string>>;
  private readonly puts: PutRecord[] = [];
  private readonly outcomes: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LocalEventBusOptions) {
    this.rules = options.rules ?? eventRules;
    for (const rule of this.rules) assertSupportedPattern(rule.pattern, rule.name);
    this.busNames =
      options.busNames ??
      (Object.fromEntries(
        Object.keys(eventBuses).map((bus) => [bus, localBusName(bus as EventBusKey)]),
      ) as Record<EventBusKey, string>);
  }

  /** The operations map for `LocalAwsEndpoint.addJson`. */
  operations(): Record<string, JsonOperation> {
    return { 'AWSEvents.PutEvents': (request) => this.putEvents(request) };
  }

  /** Every accepted entry, oldest first. */
  log(): readonly PutRecord[] {
    return [...this.puts];
  }

  /** Every finished delivery, in the order they finished. */
  deliveries(): readonly DeliveryRecord[] {
    return [...this.outcomes];
  }

  /** Resolves once no delivery is pending (including ones started while waiting). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private putEvents(request: Record<string, unknown>) {
    const entries = request.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES)
      throw new AwsError('ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} entries`);
    const size = entries.reduce(
      (total: number, entry: Record<string, unknown>) => total + putEventsEntrySize(entry),
      0,
    );
    if (size > AWS_LIMITS.putEventsBytes)
      throw new AwsError(
        'ValidationException',
        `Total size of the entries in the request is over the limit (${size} > ${AWS_LIMITS.putEventsBytes} bytes).`,
      );
    const results = entries.map((entry: Record<string, unknown>) => this.accept(entry));
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  }

  private accept(entry: Record<string, unknown>) {
    for (const field of ['Source', 'DetailType', 'Detail']) {
      if (typeof entry[field] !== 'string' || entry[field] === '')
        return entryError(
          'InvalidArgument',
          `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        );
    }
    const detail = parseDetail(entry.Detail);
    if (!detail) return entryError('MalformedDetail', 'Detail is malformed.');
    const eventBusName = busNameOf(entry.EventBusName);
    const bus = Object.entries(this.busNames).find(([, name]) => name === eventBusName)?.[0];
    if (!bus && eventBusName !== 'default')
      return entryError('ResourceNotFoundException', `Event bus ${eventBusName} does not exist.`);

    const envelope: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': String(entry.DetailType),
      source: String(entry.Source),
      account: LOCAL_ACCOUNT,
      time: timeOf(entry.Time),
      region: LOCAL_REGION,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail,
    };
    const matched = this.rules.filter(
      (rule) => rule.bus === bus && matchesPattern(rule.pattern, envelope),
    );
    this.puts.push({ eventBusName, envelope, rules: matched.map((rule) => rule.name) });
    for (const rule of matched) this.track(this.deliver(rule, envelope));
    return { EventId: envelope.id };
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(rule: EventRule, envelope: EventEnvelope): Promise<void> {
    await new Promise(setImmediate); // after the PutEvents response, as in AWS
    const tries = (this.options.retries ?? 2) + 1;
    const base = { eventId: envelope.id, rule: rule.name, target: rule.target };
    let error: unknown;
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      if (attempt > 1) await new Promise((go) => setTimeout(go, this.options.retryDelayMs ?? 10));
      try {
        // A copy per target: in AWS each target gets its own serialised event.
        await this.options.invoke(rule.target, structuredClone(envelope));
        this.outcomes.push({ ...base, attempts: attempt, status: 'delivered' });
        return;
      } catch (caught) {
        error = caught;
      }
    }
    this.outcomes.push({ ...base, attempts: tries, status: 'failed', error: String(error) });
  }
}
