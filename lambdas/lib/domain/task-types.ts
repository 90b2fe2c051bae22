/**
 * Task types the runner knows. Kept here, away from the schedule parsing in activities.ts, so that
 * step schemas naming them don't bundle cron-parser and luxon into every step Lambda.
 */
export const TASK_TYPES = ['noop', 'http-ping'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** What task types may use. */
export interface TaskDeps {
  /** GETs a tenant-supplied URL through the SSRF guard; answers its status. */
  readonly ping: (url: string) => Promise<{ statusCode: number }>;
}

export interface TaskOutcome {
  readonly status: 'succeeded' | 'failed';
  readonly result: Record<string, unknown>;
}

/**
 * The task-type registry: how each type runs one instance. A type must be safe to run again for
 * the same instance (a retry after a lost response does): `noop` does nothing, `http-ping` is a
 * GET. A thrown error is transient (the step is retried); an outcome `failed` is final.
 */
export const taskTypes: Record<
  TaskType,
  (instance: { url?: string }, deps: TaskDeps) => Promise<TaskOutcome>
> = {
  noop: async () => ({ status: 'succeeded', result: {} }),
  'http-ping': async (instance, deps) => {
    if (!instance.url) return { status: 'failed', result: { error: 'http-ping needs a url' } };
    const { statusCode } = await deps.ping(instance.url);
    return {
      status: statusCode >= 200 && statusCode < 300 ? 'succeeded' : 'failed',
      result: { statusCode },
    };
  },
};
