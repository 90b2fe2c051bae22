import { isDeepStrictEqual } from 'node:util';
import { DomainError } from '../errors.ts';
import type { ActivityStore, ScheduleManager } from '../ports/activities.ts';
import {
  type Activity,
  type ActivityDefinition,
  anchorAt,
  definitionOf,
  instanceCountOf,
  MAX_TASK_INSTANCES_PER_RUN,
} from './activities.ts';
import { parseSchedule } from './schedule.ts';
import { assertWebhookUrl, type WebhookUrlPolicy } from './webhook-url.ts';

/** A well-formed definition the seed's contract refuses (422). */
export class ActivityRejected extends DomainError {
  override readonly problemCode = 'unprocessable';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ActivityRejected';
  }
}

export interface ActivityConfigDeps {
  readonly activities: ActivityStore;
  readonly schedules: ScheduleManager;
  readonly urlPolicy: WebhookUrlPolicy;
  readonly now: () => Date;
}

/**
 * Defines (or redefines) an activity and its schedule. `dedupeKeyStrategy` must equal
 * `misfirePolicy` (one name for one behaviour); the schedule and timezone must parse (`InvalidSchedule`, 400);
 * `http-ping` URLs pass the SSRF guard. A repeat of the same definition changes nothing but
 * re-applies the schedule (a PUT that failed half-way is completed by its retry). A rate
 * schedule keeps its anchor while its expression and timezone stay the same.
 */
export const configureActivity = async (
  deps: ActivityConfigDeps,
  request: { projectId: string; activityId: string; definition: ActivityDefinition },
): Promise<Activity> => {
  const { definition } = request;
  if (definition.dedupeKeyStrategy !== definition.misfirePolicy) {
    throw new ActivityRejected(
      `dedupeKeyStrategy (${definition.dedupeKeyStrategy}) must equal misfirePolicy (${definition.misfirePolicy})`,
    );
  }
  const instances = instanceCountOf(definition.tasks);
  if (instances > MAX_TASK_INSTANCES_PER_RUN) {
    throw new ActivityRejected(
      `tasks plan ${instances} task instances per run; the limit is ${MAX_TASK_INSTANCES_PER_RUN} (the sum of every task's count)`,
    );
  }
  for (const task of definition.tasks)
    if (task.url) await assertWebhookUrl(task.url, deps.urlPolicy);
  const existing = await deps.activities.get(request.projectId, request.activityId);
  const now = deps.now();
  const sameTiming =
    existing?.schedule === definition.schedule && existing?.timezone === definition.timezone;
  const anchor = existing && sameTiming ? existing.anchor : anchorAt(now);
  if (definition.schedule) parseSchedule(definition.schedule, definition.timezone, anchor);
  const changed = !existing || !isDeepStrictEqual(definitionOf(existing), definition);
  const activity: Activity = {
    ...(existing ?? {}),
    ...definition,
    projectId: request.projectId,
    activityId: request.activityId,
    anchor,
    version: (existing?.version ?? 0) + (changed ? 1 : 0),
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: changed ? now.toISOString() : (existing?.updatedAt ?? now.toISOString()),
  };
  if (changed) await deps.activities.put(activity);
  await deps.schedules.upsert(activity);
  return activity;
};
