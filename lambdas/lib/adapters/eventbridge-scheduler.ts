import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { ENV, requireEnv } from '../config.ts';
import {
  type Activity,
  scheduleClientToken,
  scheduleNameOf,
  scheduleOf,
} from '../domain/activities.ts';
import { canonicalInstant } from '../domain/schedule.ts';
import { nextSlot } from '../domain/schedule-slots.ts';
import { tracer } from '../observability.ts';
import type { ScheduleManager } from '../ports/activities.ts';

/** Where schedules live and whom they call; read at cold start. */
export interface SchedulerTargets {
  readonly group: string;
  readonly roleArn: string;
  readonly dispatcherArn: string;
  readonly deadLetterArn: string;
}

export const schedulerTargetsFromEnv = (): SchedulerTargets => ({
  group: requireEnv(ENV.scheduleGroupName),
  roleArn: requireEnv(ENV.schedulerRoleArn),
  dispatcherArn: requireEnv(ENV.scheduleTargetArn),
  deadLetterArn: requireEnv(ENV.scheduleDlqArn),
});

/**
 * One EventBridge Scheduler schedule per activity, targeting the dispatcher with
 * `{projectId, activityId, scheduledFor: <aws.scheduler.scheduled-time>}`. Created with a
 * ClientToken per activity version, so a retried PUT repeats the same creation; an existing
 * schedule is updated instead. Scheduler delivers at least once: the dispatcher dedupes.
 */
export class EventBridgeSchedules implements ScheduleManager {
  constructor(
    private readonly targets: SchedulerTargets = schedulerTargetsFromEnv(),
    private readonly client: SchedulerClient = tracer.captureAWSv3Client(new SchedulerClient({})),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async upsert(activity: Activity): Promise<void> {
    const schedule = scheduleOf(activity);
    if (!schedule || !activity.schedule) return this.remove(activity);
    const request: CreateScheduleCommandInput = {
      Name: scheduleNameOf(activity.projectId, activity.activityId),
      GroupName: this.targets.group,
      ScheduleExpression: activity.schedule,
      ScheduleExpressionTimezone: activity.timezone,
      // A rate schedule's slots start at its StartDate: the first slot of the activity's grid
      // from now on (AWS refuses a StartDate more than five minutes in the past).
      ...(schedule.kind === 'rate'
        ? {
            StartDate: new Date(
              nextSlot(schedule, canonicalInstant(this.now().getTime() - 1000)) ?? activity.anchor,
            ),
          }
        : {}),
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Description: `retrysafe activity ${activity.activityId} of ${activity.projectId}, v${activity.version}`,
      Target: {
        Arn: this.targets.dispatcherArn,
        RoleArn: this.targets.roleArn,
        Input: JSON.stringify({
          projectId: activity.projectId,
          activityId: activity.activityId,
          scheduledFor: '<aws.scheduler.scheduled-time>',
        }),
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: this.targets.deadLetterArn },
      },
      ClientToken: scheduleClientToken(activity),
    };
    try {
      await this.client.send(new CreateScheduleCommand(request));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(request));
    }
  }

  remove(activity: Pick<Activity, 'projectId' | 'activityId'>): Promise<void> {
    return removeSchedule(this.client, this.targets.group, activity);
  }
}

/**
 * Deletes schedules and nothing else — for a function allowed only that (it is told the group,
 * not the target, role or DLQ).
 */
export class EventBridgeScheduleDeletions implements Pick<ScheduleManager, 'remove'> {
  constructor(
    private readonly group: string = requireEnv(ENV.scheduleGroupName),
    private readonly client: SchedulerClient = tracer.captureAWSv3Client(new SchedulerClient({})),
  ) {}

  remove(activity: Pick<Activity, 'projectId' | 'activityId'>): Promise<void> {
    return removeSchedule(this.client, this.group, activity);
  }
}

/** Deletes the activity's schedule; one already gone is a no-op. */
const removeSchedule = async (
  client: SchedulerClient,
  group: string,
  activity: Pick<Activity, 'projectId' | 'activityId'>,
): Promise<void> => {
  try {
    await client.send(
      new DeleteScheduleCommand({
        Name: scheduleNameOf(activity.projectId, activity.activityId),
        GroupName: group,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
};
