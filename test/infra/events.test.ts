import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventFunctions } from '#infra/constructs/event-functions.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import { eventBuses, eventRules } from '#lib/event-rules.ts';
import { eventFunctions } from '../../lambdas/events/functions.ts';
import { grantReader } from './grants.ts';
import { accessTargetsIn, logicalIdOf, propertiesOf, synthesize, testApp } from './synth.ts';

let stack: RetrysafeStack;
let template: Template;
let grants: ReturnType<typeof grantReader>;

beforeAll(() => {
  ({ stack, template } = synthesize());
  grants = grantReader(stack, template);
});

const get = <T>(map: ReadonlyMap<string, T>, name: string): T => {
  const value = map.get(name);
  if (value === undefined) throw new Error(`Nothing named ${name}`);
  return value;
};
const arnOf = (construct: Parameters<typeof logicalIdOf>[1]) => ({
  'Fn::GetAtt': [logicalIdOf(stack, construct), 'Arn'],
});

/** A dead-letter queue is encrypted, refuses plain HTTP and keeps messages 14 days. */
const expectDeadLetterQueue = (queue: Queue) => {
  expect(propertiesOf(template, logicalIdOf(stack, queue))).toMatchObject({
    SqsManagedSseEnabled: true,
    MessageRetentionPeriod: 14 * 24 * 3600,
  });
  const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter(
    (p) =>
      JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: logicalIdOf(stack, queue) }]),
  );
  expect(policies).toHaveLength(1);
  expect(policies[0]?.Properties.PolicyDocument.Statement).toContainEqual({
    Effect: 'Deny',
    Action: 'sqs:*',
    Principal: { AWS: '*' },
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    Resource: arnOf(queue),
  });
  return policies[0]?.Properties.PolicyDocument.Statement as unknown[];
};

describe('event buses and rules', () => {
  it('builds one bus per entry in event-rules.ts, and one rule per rule', () => {
    template.resourceCountIs('AWS::Events::EventBus', Object.keys(eventBuses).length);
    template.resourceCountIs('AWS::Events::Rule', eventRules.length);
  });

  for (const rule of eventRules) {
    const ruleResource = () =>
      propertiesOf(template, logicalIdOf(stack, get(stack.events.rules, rule.name)));

    it(`puts ${rule.name} on the ${rule.bus} bus with exactly its pattern`, () => {
      expect(ruleResource()).toMatchObject({
        EventBusName: { Ref: logicalIdOf(stack, get(stack.eventBuses, rule.bus)) },
        State: 'ENABLED',
      });
      expect(ruleResource().EventPattern).toEqual(rule.pattern);
    });

    it(`targets ${rule.name} at ${rule.target} only, retrying a day before its DLQ`, () => {
      const fn = get(stack.events.functions, rule.target);
      expect(ruleResource().Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: arnOf(fn),
          RetryPolicy: { MaximumEventAgeInSeconds: 24 * 3600, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: arnOf(get(stack.events.ruleDeadLetterQueues, rule.name)) },
        },
      ]);
    });

    it(`lets EventBridge invoke ${rule.target} for ${rule.name} only`, () => {
      const fn = get(stack.events.functions, rule.target);
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
        (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arnOf(fn)),
      );
      expect(permissions.map((p) => p.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: arnOf(fn),
          Principal: 'events.amazonaws.com',
          SourceArn: arnOf(get(stack.events.rules, rule.name)),
        },
      ]);
    });

    it(`lets only ${rule.name} send to its encrypted, TLS-only DLQ`, () => {
      const queue = get(stack.events.ruleDeadLetterQueues, rule.name);
      const statements = expectDeadLetterQueue(queue);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': arnOf(get(stack.events.rules, rule.name)) } },
        }),
      );
      expect(statements).toHaveLength(2);
    });
  }

  it('fails the synth for a rule whose target is not an event function', () => {
    const scope = new Stack(testApp(), 'Typo');
    const rule = { ...eventRules[0], name: 'Misrouted', target: 'EventRuoter' };
    const build = () =>
      new EventFunctions(scope, 'Events', {
        functions: { targets: accessTargetsIn(scope) },
        entries: eventFunctions.map((e) => ({ ...e, access: {} })),
        rules: [rule],
      });
    expect(build).toThrow(
      'Rule Misrouted targets EventRuoter, which is not a function in lambdas/events/functions.ts',
    );
  });

  it('fails the synth when event functions come before the state machines they start', () => {
    const scope = new Stack(testApp(), 'Early');
    const build = () =>
      new EventFunctions(scope, 'Events', { functions: { targets: accessTargetsIn(scope) } });
    expect(build).toThrow(/starts run-activity, but that state machine is not built yet/);
  });
});

describe('event functions', () => {
  for (const { name } of eventFunctions) {
    it(`parks ${name}'s invocations that keep failing in its own queue, after bounded retries`, () => {
      const fn = get(stack.events.functions, name);
      const configs = Object.values(
        template.findResources('AWS::Lambda::EventInvokeConfig'),
      ).filter(
        (c) =>
          JSON.stringify(c.Properties.FunctionName) ===
          JSON.stringify({ Ref: logicalIdOf(stack, fn) }),
      );
      expect(configs.map((c) => c.Properties)).toEqual([
        {
          FunctionName: { Ref: logicalIdOf(stack, fn) },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 6 * 3600,
          DestinationConfig: {
            OnFailure: { Destination: arnOf(get(stack.events.failureQueues, name)) },
          },
        },
      ]);
      // Only the function's own role writes there: the queue policy just refuses plain HTTP.
      expect(expectDeadLetterQueue(get(stack.events.failureQueues, name))).toHaveLength(1);
    });

    it(`traces ${name} and logs it to its own log group with the stack's retention`, () => {
      const fn = get(stack.events.functions, name);
      const logGroup = logicalIdOf(stack, fn.logGroup);
      expect(propertiesOf(template, logicalIdOf(stack, fn))).toMatchObject({
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logGroup } },
      });
      expect(propertiesOf(template, logGroup)).toMatchObject({ RetentionInDays: 30 });
    });
  }
});

describe('EventBridge Scheduler', () => {
  it('creates one schedule group, which goes away with the stack (its schedules target it)', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    expect(template.toJSON().Resources[logicalIdOf(stack, stack.schedules.group)]).toMatchObject({
      Properties: { Name: stack.schedules.group.scheduleGroupName },
      DeletionPolicy: 'Delete',
    });
  });

  it('lets only EventBridge Scheduler, on behalf of this account, assume the scheduler role', () => {
    const role = propertiesOf(template, logicalIdOf(stack, stack.schedules.role));
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });

  it('lets the scheduler role invoke the dispatcher only, and send to the schedules DLQ only', () => {
    expect(grants.grantsOf(stack.schedules.role)).toEqual([
      'lambda:InvokeFunction on ScheduleDispatcher',
      'sqs:SendMessage on Schedules DLQ',
    ]);
  });

  it('keeps undeliverable fires in an encrypted, TLS-only queue only the scheduler role writes to', () => {
    expect(expectDeadLetterQueue(stack.schedules.deadLetterQueue)).toHaveLength(1);
  });
});

describe('dead-letter alarms', () => {
  it('alarms on the first message in every queue of the stack (each one is a dead-letter queue)', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThanOrEqual(4);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    for (const queue of queues) {
      const watching = alarms.filter(
        (alarm) =>
          JSON.stringify(alarm.Dimensions) ===
          JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]),
      );
      expect(watching, queue).toHaveLength(1);
      expect(watching[0]).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });
});
