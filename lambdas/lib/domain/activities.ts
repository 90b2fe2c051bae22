import { derivedId } from '../ids.ts';
import { type MisfirePolicy, taskInstanceId } from './misfires.ts';
import { canonicalInstant, type Instant, parseSchedule, type Schedule } from './schedule.ts';
import type { TaskType } from './task-types.ts';

export interface TaskSpec {
  readonly type: TaskType;
  readonly count: number;
  /** `http-ping` only: the URL to GET. */
  readonly url?: string;
}

/** An activity: what runs, when (schedule and/or event types), and its misfire policy. */
export interface Activity {
  readonly projectId: string;
  readonly activityId: string;
  readonly schedule: string | null;
  readonly timezone: string;
  readonly misfirePolicy: MisfirePolicy;
  readonly dedupeKeyStrategy: MisfirePolicy;
  readonly maxCatchup: number;
  readonly eventTypes: readonly string[] | null;
  readonly tasks: readonly TaskSpec[];
  /** Grows whenever the definition changes; the Scheduler ClientToken is derived from it. */
  readonly version: number;
  /** Where a `rate(…)` schedule's slots start (AWS: the schedule's StartDate). */
  readonly anchor: Instant;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The last slot the dispatcher handled (absent before the first fire). */
  readonly highWater?: Instant;
}

/** What a PUT defines; compared to tell a real change (new version) from a repeat. */
export type ActivityDefinition = Pick<
  Activity,
  | 'schedule'
  | 'timezone'
  | 'misfirePolicy'
  | 'dedupeKeyStrategy'
  | 'maxCatchup'
  | 'eventTypes'
  | 'tasks'
>;

/** The fields a PUT defines, taken from a stored activity. */
export const definitionOf = (activity: Activity): ActivityDefinition => ({
  schedule: activity.schedule,
  timezone: activity.timezone,
  misfirePolicy: activity.misfirePolicy,
  dedupeKeyStrategy: activity.dedupeKeyStrategy,
  maxCatchup: activity.maxCatchup,
  eventTypes: activity.eventTypes,
  tasks: activity.tasks,
});

/** `PUT …/activities/{activityId}` answers with this. */
export const activityView = (activity: Activity) => ({
  activityId: activity.activityId,
  projectId: activity.projectId,
  ...definitionOf(activity),
  version: activity.version,
  createdAt: activity.createdAt,
  updatedAt: activity.updatedAt,
});

/** The parsed schedule of an activity, if it has one (its anchor fixes rate slots). */
export const scheduleOf = (activity: Activity): Schedule | undefined =>
  activity.schedule
    ? parseSchedule(activity.schedule, activity.timezone, activity.anchor)
    : undefined;

/** A rate anchor for a schedule defined now: the current minute. */
export const anchorAt = (now: Date): Instant =>
  canonicalInstant(Math.floor(now.getTime() / 60_000) * 60_000);

/**
 * EventBridge Scheduler schedule of an activity: names allow 64 of `[0-9a-zA-Z._-]`, so the
 * UUID loses its dashes (`prj_…` + `.` + 32 hex = 63).
 */
export const scheduleNameOf = (projectId: string, activityId: string): string =>
  `${projectId}.${activityId.replaceAll('-', '')}`;

/** The CreateSchedule ClientToken: one per (activity, version), so a retried PUT repeats it. */
export const scheduleClientToken = (activity: Activity): string =>
  derivedId(32, 'schedule', activity.projectId, activity.activityId, String(activity.version));

export const wantsEvent = (activity: Activity, type: string): boolean =>
  activity.eventTypes?.includes(type) ?? false;

/**
 * Most task instances one run may have. Step Functions caps an execution at 25,000 history
 * events; an inline Map iteration whose task exhausts its retries writes about 27 (7 for a clean
 * run, 3 for each of its 6 retries, 2 for the catch), so 200 instances stay far below the cap
 * (5,400) however they fail.
 * 200 also keeps a run short (the Map runs ten at a time) and its task log small enough to list
 * in one answer. `PUT activity` refuses a definition above it (422) instead of letting a run die
 * half-way.
 */
export const MAX_TASK_INSTANCES_PER_RUN = 200;

/** Task instances a definition plans per run. */
export const instanceCountOf = (tasks: readonly Pick<TaskSpec, 'count'>[]): number =>
  tasks.reduce((sum, task) => sum + task.count, 0);

/**
 * Where one task instance sits in a run: its task's position in the definition and its index.
 * The run-activity Map iterates over these (a few bytes each) rather than over the instances, so
 * the state stays far below Step Functions' 256 KiB however long the run id and URLs are.
 */
export interface TaskSlot {
  readonly task: number;
  readonly index: number;
}

/** Every slot of a run, in definition order. */
export const taskSlotsOf = (tasks: readonly TaskSpec[]): TaskSlot[] =>
  tasks.flatMap((task, position) =>
    Array.from({ length: task.count }, (_, index) => ({ task: position, index })),
  );

/**
 * The task instance at a slot (`task-{runId}:{taskType}:{index}`); undefined off the plan. The
 * index counts the instances of that type across the whole definition, so two specs of one type
 * (`[{http-ping ×10}, {noop ×10}, {http-ping ×10}]`) name twenty distinct pings, `:0`–`:19`,
 * rather than the second spec reusing the first one's ids (and being skipped as already done).
 */
export const taskInstanceAt = (runId: string, tasks: readonly TaskSpec[], slot: TaskSlot) => {
  const task = tasks[slot.task];
  if (!task || slot.index >= task.count) return undefined;
  const before = tasks.slice(0, slot.task).filter((earlier) => earlier.type === task.type);
  const index = instanceCountOf(before) + slot.index;
  return {
    id: taskInstanceId(runId, task.type, index),
    type: task.type,
    index,
    ...(task.url ? { url: task.url } : {}),
  };
};

/** A run of an activity and where it stands. */
export interface ActivityRun {
  readonly runId: string;
  readonly projectId: string;
  readonly activityId: string;
  readonly trigger: 'schedule' | 'event';
  readonly scheduledFor?: Instant;
  readonly eventId?: string;
  readonly window?: { readonly from: Instant; readonly to: Instant };
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Why a run failed (how many task instances did not succeed). */
  readonly reason?: string;
}

export interface TaskInstance {
  readonly id: string;
  readonly runId: string;
  readonly type: TaskType;
  readonly index: number;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly result?: Record<string, unknown>;
}
