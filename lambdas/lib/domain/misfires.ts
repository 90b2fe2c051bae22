import { executionName } from '../ids.ts';
import { DEFAULT_MAX_CATCHUP, MAX_CATCHUP, type MisfirePolicy } from './misfire-policies.ts';
import { canonicalInstant, type Instant, type Schedule } from './schedule.ts';
import { isSlot, latestSlotsBetween, nextSlot } from './schedule-slots.ts';

/**
 * Misfire policies (docs/api.md, Activities) and the deterministic ids of runs and task instances.
 * Planning is pure: the dispatcher moves its high-water mark with a conditional update and starts
 * the planned runs under names derived from their run ids, so a duplicate fire, a late fire or a
 * retried dispatcher never starts a run twice.
 */

export {
  DEFAULT_MAX_CATCHUP,
  MAX_CATCHUP,
  MISFIRE_POLICIES,
  type MisfirePolicy,
} from './misfire-policies.ts';

export interface FirePlan {
  readonly policy: MisfirePolicy;
  /** How many missed slots `catchup` replays (the newest ones). Default 10. */
  readonly maxCatchup?: number;
  /** The last slot already handled; undefined before the activity's first fire. */
  readonly highWater?: Instant;
  /** The slot the scheduler fired for (its `<aws.scheduler.scheduled-time>`). */
  readonly fired: Instant;
  readonly schedule: Schedule;
}

/** One run to start; `window` (compress only) spans the first missed slot to the fired slot. */
export interface PlannedRun {
  readonly scheduledFor: Instant;
  readonly window?: { readonly from: Instant; readonly to: Instant };
}

/**
 * The runs one fire starts, oldest first. Nothing when the fire is at or below the high-water
 * mark (a duplicate or a fire overtaken by a later one) or is not a slot of the schedule (the
 * dispatcher logs it: it means the schedule and the activity record disagree). Otherwise the
 * slots strictly between the mark and the fire are misfires: `skip` drops them, `catchup` replays
 * the newest `maxCatchup` of them before the fired slot, `compress` folds them into the fired
 * slot's run as its window. Before the first fire there is no mark, so nothing counts as missed.
 */
export const planRuns = (plan: FirePlan): PlannedRun[] => {
  const maxCatchup = plan.maxCatchup ?? DEFAULT_MAX_CATCHUP;
  if (!Number.isInteger(maxCatchup) || maxCatchup < 1 || maxCatchup > MAX_CATCHUP)
    throw new RangeError(`maxCatchup must be an integer in 1–${MAX_CATCHUP}, got ${maxCatchup}`);
  const fired = canonicalInstant(plan.fired);
  const highWater = plan.highWater === undefined ? undefined : canonicalInstant(plan.highWater);
  if (highWater !== undefined && fired <= highWater) return [];
  if (!isSlot(plan.schedule, fired)) return [];
  const current: PlannedRun = { scheduledFor: fired };
  if (highWater === undefined || plan.policy === 'skip') return [current];
  // Canonical instants compare correctly as strings: fixed width, UTC, no fractions.
  const firstMissed = nextSlot(plan.schedule, highWater);
  if (firstMissed === undefined || firstMissed >= fired) return [current];
  if (plan.policy === 'compress')
    return [{ scheduledFor: fired, window: { from: firstMissed, to: fired } }];
  const before = canonicalInstant(Date.parse(fired) - 1000);
  const missed = latestSlotsBetween(plan.schedule, highWater, before, maxCatchup);
  return [...missed.map((scheduledFor) => ({ scheduledFor })), current];
};

/** Most missed slots one fire counts as skipped: a schedule years behind is not walked to the end. */
export const MAX_COUNTED_SKIPS = 1000;

/**
 * How many missed slots a fire drops without a run of their own (up to {@link MAX_COUNTED_SKIPS}):
 * `skip` drops every one, `catchup` those older than the newest `maxCatchup`; `compress` drops
 * none (its run's window covers them). Zero wherever {@link planRuns} plans nothing.
 */
export const skippedSlots = (plan: FirePlan): number => {
  if (plan.highWater === undefined || plan.policy === 'compress') return 0;
  const fired = canonicalInstant(plan.fired);
  const highWater = canonicalInstant(plan.highWater);
  if (fired <= highWater || !isSlot(plan.schedule, fired)) return 0;
  const before = canonicalInstant(Date.parse(fired) - 1000);
  const missed = latestSlotsBetween(plan.schedule, highWater, before, MAX_COUNTED_SKIPS).length;
  if (plan.policy === 'skip') return missed;
  return Math.max(0, missed - (plan.maxCatchup ?? DEFAULT_MAX_CATCHUP));
};

/** The run id of a scheduled fire: `activity-{activityId}:{scheduledFor}`. */
export const runIdForSchedule = (activityId: string, scheduledFor: string): string =>
  `activity-${activityId}:${canonicalInstant(scheduledFor)}`;

/** The run id of an event-triggered run: `activity-{activityId}:{eventId}`. */
export const runIdForEvent = (activityId: string, eventId: string): string => {
  if (eventId === '') throw new RangeError('An event needs a stable, non-empty id');
  return `activity-${activityId}:${eventId}`;
};

/** A task instance's id: `task-{runId}:{taskType}:{index}`. */
export const taskInstanceId = (runId: string, taskType: string, index: number): string =>
  `task-${runId}:${taskType}:${index}`;

/**
 * The run-activity execution name for a run id. Run ids contain `:`, which Step Functions
 * forbids, so the name is a readable prefix plus a hash of the whole id (see `executionName`).
 */
export const runExecutionName = (runId: string): string => executionName('run', runId);
