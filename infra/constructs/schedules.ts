import { Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#lib/config.ts';
import { deadLetterQueue } from './dead-letters.ts';

/** Where the activities' schedules live and what each one calls, as the Scheduler adapter needs. */
export interface ScheduleTargets {
  /** The stack's schedule group; functions may only touch schedules inside it. */
  readonly groupName: string;
  /** What Scheduler assumes to invoke the dispatcher; the only role a function may pass. */
  readonly role: IRole;
  /** Every schedule's target (a lazy ARN: the dispatcher is built after the sagas). */
  readonly dispatcherArn: string;
  /** Fires Scheduler could not deliver. */
  readonly deadLetterQueue: IQueue;
}

/**
 * EventBridge Scheduler for the activities (docs/api.md, Activities). The schedules themselves are created at
 * run time, one per activity, by the `PutActivity` route (`EventBridgeSchedules`); the stack
 * provides where they live (one group), whom they call (the dispatcher), with what (a role that
 * may invoke the dispatcher and nothing else) and where an undeliverable fire goes (a DLQ).
 *
 * Built before the sagas, because a deprovisioning step deletes schedules, while the dispatcher
 * (which starts sagas) is built after them: {@link Schedules.target} binds it, and the ARN the
 * targets carry resolves at synth — a stack that never binds one fails to synthesize.
 */
export class Schedules extends Construct {
  readonly group: ScheduleGroup;
  /** Scheduler's execution role: invoke the dispatcher, park a fire in the DLQ. */
  readonly role: Role;
  /** Fires Scheduler gave up on after the schedule's retry policy (the adapter sets it). */
  readonly deadLetterQueue: Queue;
  /** What an `Access` with `schedules` is granted against. */
  readonly targets: ScheduleTargets;

  private dispatcher: IFunction | undefined;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', {
      // The schedules call this stack's dispatcher; without the stack they could only fail.
      // Deleting the group deletes them; activities in the (retained) table can recreate them.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      'the DeadLetterConfig of every activity schedule (set at run time by the Scheduler adapter), holding fires Scheduler could not deliver to the dispatcher',
    );
    this.role = new Role(this, 'Role', {
      // Only Scheduler, and only on behalf of this account, may assume it (confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler invokes the schedule dispatcher with this role',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    this.targets = {
      groupName: this.group.scheduleGroupName,
      role: this.role,
      dispatcherArn: Lazy.string({
        produce: () => {
          if (!this.dispatcher) throw new Error(`${this.node.path} has no dispatcher bound`);
          return this.dispatcher.functionArn;
        },
      }),
      deadLetterQueue: this.deadLetterQueue,
    };
  }

  /** Makes `dispatcher` (ScheduleDispatcher in events/functions.ts) every schedule's target. */
  target(dispatcher: IFunction): void {
    if (this.dispatcher) throw new Error(`${this.node.path} already has a dispatcher`);
    this.dispatcher = dispatcher;
    // The unqualified ARN alone (the schedules target it): no `:*` for versions or aliases.
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [dispatcher.functionArn],
      }),
    );
  }
}

/** What the Scheduler adapter (`EventBridgeSchedules`) calls: create, else update; delete. */
const SCHEDULE_WRITE = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
];

/**
 * Grants `actions` on the schedules of the stack's group (schedule names are per activity, so
 * only the trailing name is a wildcard), gives `fn` the group's name, and acknowledges the
 * wildcard to cdk-nag with `why`.
 */
const grantOnGroupSchedules = (
  fn: LambdaFunction,
  schedules: ScheduleTargets,
  actions: string[],
  why: string,
): void => {
  const inGroup = Stack.of(fn).formatArn({
    service: 'scheduler',
    resource: 'schedule',
    resourceName: `${schedules.groupName}/*`,
  });
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [inGroup] }));
  fn.addEnvironment(ENV.scheduleGroupName, schedules.groupName);
  if (fn.role) {
    const finding = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${schedules.groupName}/*`;
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason: `${why} only on schedules in the stack's group ${schedules.groupName}; schedule names are per activity, so only the trailing name is a wildcard.`,
    });
  }
};

/**
 * Lets `fn` manage schedules the way the adapter does: the three calls above on schedules of the
 * stack's group only, and passing the scheduler role — that role, and only to Scheduler — plus the
 * four variables the adapter reads. Schedule names are chosen per activity at run time, so the ARN
 * ends in `/*`; the acknowledgement names exactly that pattern.
 */
export const grantScheduleWrites = (fn: LambdaFunction, schedules: ScheduleTargets): void => {
  grantOnGroupSchedules(fn, schedules, SCHEDULE_WRITE, 'Create/Update/DeleteSchedule');
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [schedules.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }),
  );
  fn.addEnvironment(ENV.schedulerRoleArn, schedules.role.roleArn);
  fn.addEnvironment(ENV.scheduleTargetArn, schedules.dispatcherArn);
  fn.addEnvironment(ENV.scheduleDlqArn, schedules.deadLetterQueue.queueArn);
};

/**
 * Lets `fn` delete schedules and nothing else (a deprovisioning step): DeleteSchedule on schedules
 * of the stack's group only, and the group's name.
 */
export const grantScheduleDeletes = (fn: LambdaFunction, schedules: ScheduleTargets): void =>
  grantOnGroupSchedules(fn, schedules, ['scheduler:DeleteSchedule'], 'DeleteSchedule');
