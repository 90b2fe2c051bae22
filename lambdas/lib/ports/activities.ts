import type { Activity, ActivityRun, TaskInstance } from '../domain/activities.ts';
import type { Instant } from '../domain/schedule.ts';

/** Where activities, their runs and task instances live. */
export interface ActivityStore {
  get(projectId: string, activityId: string): Promise<Activity | undefined>;
  list(projectId: string): Promise<Activity[]>;
  /** Stores the activity (ProjectNotFound / ProjectStateConflict unless the project is active). */
  put(activity: Activity): Promise<void>;
  /** Moves the high-water mark up to `fired` (never down); true when this call moved it. */
  advanceHighWater(projectId: string, activityId: string, fired: Instant): Promise<boolean>;
}

export interface RunStore {
  /**
   * Logs the run unless logged (`ON CONFLICT DO NOTHING`); returns the stored run and whether
   * this call logged it.
   */
  logRun(run: ActivityRun): Promise<{ run: ActivityRun; created: boolean }>;
  /** Runs of an activity, newest first, each with its task instances. */
  runs(projectId: string, activityId: string): Promise<(ActivityRun & { tasks: TaskInstance[] })[]>;
  /**
   * Upserts a task instance as running unless it exists, and claims it for one lease (from `at`)
   * while it is running and no other attempt's lease is current. Returns the stored instance and
   * whether this attempt holds the claim (only then may it run the task).
   */
  startTask(
    projectId: string,
    instance: Omit<TaskInstance, 'status' | 'result'>,
    at: Date,
  ): Promise<{ readonly claimed: boolean; readonly task: TaskInstance }>;
  /** The task instances of one run. */
  tasksOf(projectId: string, runId: string): Promise<TaskInstance[]>;
  /** Settles a running task instance once; returns the stored one. */
  finishTask(projectId: string, instance: TaskInstance): Promise<TaskInstance>;
  /** Settles a running run once (with the reason it failed, if it did); undefined if not logged. */
  finishRun(
    projectId: string,
    runId: string,
    outcome: { status: 'succeeded' | 'failed'; reason?: string },
    at: string,
  ): Promise<ActivityRun | undefined>;
}

/** The schedules behind activities (EventBridge Scheduler). */
export interface ScheduleManager {
  /** Creates or updates the activity's schedule (ClientToken per activity version). */
  upsert(activity: Activity): Promise<void>;
  /** Deletes the activity's schedule if there is one. */
  remove(activity: Pick<Activity, 'projectId' | 'activityId'>): Promise<void>;
}
