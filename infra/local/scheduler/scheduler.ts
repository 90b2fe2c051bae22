import { randomBytes } from 'node:crypto';
import { canonicalInstant, type Schedule } from '../../../lambdas/lib/domain/schedule.ts';
import { nextSlot } from '../../../lambdas/lib/domain/schedule-slots.ts';
import type { RestOperation } from '../aws/aws-endpoint.ts';
import { AwsError } from '../aws/aws-error.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';
import type { Invoker } from '../eventbridge/event-bus.ts';
import {
  MAX_TIMER_MS,
  notFound,
  realClock,
  type SchedulerClock,
  validateScheduleRequest,
} from './scheduler-api.ts';

export interface LocalSchedulerOptions {
  /** Schedule groups besides `default` (CDK creates them in AWS). */
  readonly groups?: readonly string[];
  readonly clock?: SchedulerClock;
  /** Fire ENABLED schedules when their slots come (default true); `fire()` works either way. */
  readonly timers?: boolean;
  /** Retries of a failed clock-driven invocation (default 2: Lambda's async invoke retries). */
  readonly retries?: number;
  /** Told about a clock-driven delivery that failed every attempt (default: logged). */
  readonly onDeliveryError?: (error: unknown, schedule: string, scheduledFor: string) => void;
}

interface Entry {
  readonly key: string;
  readonly arn: string;
  readonly createdAt: number;
  /** The CreateSchedule body (ClientToken included) that a retry must repeat exactly. */
  readonly created: string;
  modifiedAt: number;
  /** The last Create/Update body: GetSchedule echoes it, as AWS echoes what it was given. */
  request: Record<string, unknown>;
  schedule: Schedule;
  functionName: string;
  lastSlot?: string;
  cancel?: () => void;
}

/**
 * The twin's EventBridge Scheduler: the REST-JSON operations `@aws-sdk/client-scheduler` sends
 * for schedules (Create, Update, Get, Delete), timers that fire ENABLED schedules on the clock,
 * and `fire()` for the dev endpoint to deliver any slot now, duplicates and late fires included.
 * Only Lambda targets: a fire invokes the function with the target's Input, `<aws.scheduler.*>`
 * context attributes substituted. Known differences from AWS: the invocation is awaited, not
 * queued (a clock-driven one is retried as Lambda's async invoke would, `fire()` is tried once
 * and returns the result); RetryPolicy and DeadLetterConfig are checked and echoed, but a
 * delivery that fails every attempt is only reported to `onDeliveryError`, never dead-lettered;
 * no flexible time window (fires at the slot); slots that passed while the process was down are
 * not fired late; groups are fixed at construction (CDK creates them in AWS); `at()` is refused.
 */
export class LocalScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly groups: Set<string>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly clock: SchedulerClock;
  private stopped = false;

  constructor(
    private readonly invoke: Invoker,
    private readonly options: LocalSchedulerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.groups = new Set(['default', ...(options.groups ?? [])]);
  }

  /** The operations to plug into `LocalAwsEndpoint.addRest`. */
  operations(): RestOperation[] {
    const pattern = /^\/schedules\/([^/]+)$/;
    const name = (match: RegExpExecArray) => decodeURIComponent(match[1] ?? '');
    // Get and Delete carry the group in the query string (`?groupName=`).
    const find = (match: RegExpExecArray, query: URLSearchParams) => this.find(name(match), query);
    return [
      { method: 'POST', pattern, handle: (m, body) => this.create(name(m), body) },
      { method: 'PUT', pattern, handle: (m, body) => this.update(name(m), body) },
      {
        method: 'GET',
        pattern,
        handle: (m, _, query) => this.describe(find(m, query)),
      },
      {
        method: 'DELETE',
        pattern,
        handle: (m, _, query) => this.remove(find(m, query)),
      },
    ];
  }

  /** Delivers one fire of a schedule now, whatever its state, slot or earlier deliveries. */
  async fire(group: string, name: string, scheduledFor: string): Promise<unknown> {
    const entry = this.entries.get(`${group}/${name}`);
    if (!entry) throw notFound(`Schedule ${name}`);
    return this.deliver(entry, canonicalInstant(scheduledFor));
  }

  /** Every schedule, as `GET /v1/_dev/schedules` shows it (the target input names its activity). */
  list(): {
    name: string;
    groupName: string;
    state: string;
    scheduleExpression: string;
    projectId?: string;
    activityId?: string;
  }[] {
    return [...this.entries.values()].map((entry) => {
      const [groupName = '', name = ''] = entry.key.split('/');
      const target = (entry.request.Target ?? {}) as { Input?: string };
      let input: { projectId?: string; activityId?: string } = {};
      try {
        input = JSON.parse(target.Input ?? '{}');
      } catch {
        // Not ours: a schedule whose input is not JSON names no activity.
      }
      return {
        name,
        groupName,
        state: String(entry.request.State ?? 'ENABLED'),
        scheduleExpression: String(entry.request.ScheduleExpression ?? ''),
        ...(input.projectId ? { projectId: input.projectId } : {}),
        ...(input.activityId ? { activityId: input.activityId } : {}),
      };
    });
  }

  /** Resolves when no clock-driven delivery is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels every timer; deliveries already started run to completion. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) entry.cancel?.();
  }

  private create(name: string, body: Record<string, unknown>) {
    const key = `${this.groupOf(body)}/${name}`;
    const existing = this.entries.get(key);
    // A retried CreateSchedule (same ClientToken, same request) succeeds again; anything else
    // under a taken name conflicts. Without a token (the SDK always sends one) every call differs.
    if (existing && body.ClientToken !== undefined && existing.created === JSON.stringify(body))
      return { ScheduleArn: existing.arn };
    if (existing) throw new AwsError('ConflictException', `Schedule ${name} already exists.`, 409);
    const now = this.clock.now();
    const created = JSON.stringify(body);
    const arn = `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/${key}`;
    const entry: Entry = {
      key,
      arn,
      created,
      createdAt: now,
      modifiedAt: now,
      ...validateScheduleRequest(name, body, now, this.clock.now()),
    };
    this.entries.set(key, entry);
    this.arm(entry);
    return { ScheduleArn: arn };
  }

  /** UpdateSchedule replaces the whole definition, as in AWS; omitted fields fall to defaults. */
  private update(name: string, body: Record<string, unknown>) {
    const entry = this.find(name, new URLSearchParams({ groupName: this.groupOf(body) }));
    Object.assign(entry, validateScheduleRequest(name, body, entry.createdAt, this.clock.now()));
    entry.modifiedAt = this.clock.now();
    this.arm(entry);
    return { ScheduleArn: entry.arn };
  }

  private describe(entry: Entry) {
    const { ClientToken: _, ...request } = entry.request;
    const [GroupName, Name] = entry.key.split('/');
    return {
      ...request,
      Arn: entry.arn,
      GroupName,
      Name,
      State: request.State ?? 'ENABLED',
      CreationDate: entry.createdAt / 1000,
      LastModificationDate: entry.modifiedAt / 1000,
    };
  }

  private remove(entry: Entry) {
    entry.cancel?.();
    this.entries.delete(entry.key);
    return {};
  }

  private groupOf(body: Record<string, unknown>): string {
    const group = String(body.GroupName ?? 'default');
    if (!this.groups.has(group)) throw notFound(`Schedule group ${group}`);
    return group;
  }

  /** The schedule named in a Get or Delete; their group travels in the query string. */
  private find(name: string, query: URLSearchParams): Entry {
    const entry = this.entries.get(`${query.get('groupName') ?? 'default'}/${name}`);
    if (!entry) throw notFound(`Schedule ${name}`);
    return entry;
  }

  /** Sets the timer for the schedule's next slot after the last one fired (and after now). */
  private arm(entry: Entry): void {
    entry.cancel?.();
    entry.cancel = undefined;
    const { State, StartDate, EndDate } = entry.request;
    if (this.stopped || this.options.timers === false || State === 'DISABLED') return;
    const now = this.clock.now();
    const last = entry.lastSlot ? Date.parse(entry.lastSlot) : now - 1000;
    const start = typeof StartDate === 'number' ? StartDate * 1000 - 1000 : now - 1000;
    const slot = nextSlot(entry.schedule, canonicalInstant(Math.max(now - 1000, last, start)));
    if (!slot || (typeof EndDate === 'number' && Date.parse(slot) > EndDate * 1000)) return;
    const wait = Math.min(Math.max(0, Date.parse(slot) - now), MAX_TIMER_MS);
    entry.cancel = this.clock.setTimer(wait, () => {
      entry.cancel = undefined;
      if (Date.parse(slot) > this.clock.now()) return this.arm(entry);
      entry.lastSlot = slot;
      const delivery = this.deliver(entry, slot, this.options.retries ?? 2)
        .catch((error) => this.reportError(error, entry.key, slot))
        .finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
      this.arm(entry);
    });
  }

  private async deliver(entry: Entry, scheduledFor: string, retries = 0): Promise<unknown> {
    const event = JSON.parse(
      String((entry.request.Target as { Input?: unknown }).Input ?? '{}')
        .replaceAll('<aws.scheduler.scheduled-time>', scheduledFor)
        .replaceAll('<aws.scheduler.schedule-arn>', entry.arn)
        .replaceAll('<aws.scheduler.execution-id>', randomBytes(8).toString('hex'))
        .replaceAll('<aws.scheduler.attempt-number>', '1'),
    );
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.invoke(entry.functionName, event);
      } catch (error) {
        if (attempt >= retries) throw error;
      }
    }
  }

  private reportError(error: unknown, schedule: string, scheduledFor: string): void {
    if (this.options.onDeliveryError) this.options.onDeliveryError(error, schedule, scheduledFor);
    else console.error(`twin scheduler: ${schedule} at ${scheduledFor} failed:`, error);
  }
}
