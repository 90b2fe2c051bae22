import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RetrysafeFunction } from '#infra/constructs/function.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import type { Access } from '#lib/access.ts';
import { ENV } from '#lib/config.ts';
import { type EventBusKey, eventBuses } from '#lib/event-rules.ts';
import { declaredIn, grantReader, list, type Statement } from './grants.ts';
import { accessTargetsIn, logicalIdOf, propertiesOf, synthesize, testApp } from './synth.ts';

let stack: RetrysafeStack;
let template: Template;
let grants: ReturnType<typeof grantReader>;

beforeAll(() => {
  ({ stack, template } = synthesize());
  grants = grantReader(stack, template);
});

const declared = declaredIn(() => stack);
/** Names of the functions whose Access matches, from the data modules. */
const declaring = (matches: (access: Access) => boolean) =>
  declared.filter(([, access]) => matches(access)).map(([name]) => name);
const envOf = (name: string) => {
  const entry = declared.find(([n]) => n === name);
  if (!entry) throw new Error(`No function ${name}`);
  const env = propertiesOf(template, logicalIdOf(stack, entry[2]())).Environment as {
    Variables: Record<string, unknown>;
  };
  return env.Variables;
};
/** Every statement of every IAM policy in the template, with the actions it allows. */
const statements = () =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
const allowing = (pattern: RegExp) =>
  statements().filter((s) => list(s.Action).some((a) => pattern.test(a)));
const busOf = (key: EventBusKey) => {
  const bus = stack.eventBuses.get(key);
  if (!bus) throw new Error(`No bus ${key}`);
  return bus;
};
const ref = (construct: Parameters<typeof logicalIdOf>[1]) => ({
  Ref: logicalIdOf(stack, construct),
});
const arnOf = (construct: Parameters<typeof logicalIdOf>[1]) => ({
  'Fn::GetAtt': [logicalIdOf(stack, construct), 'Arn'],
});

describe('the secrets key', () => {
  it('lets PutWebhook only encrypt and SendWebhook only decrypt with it, and nobody else use it', () => {
    const expected = [
      ...declaring((a) => a.secrets === 'seal').map((name) => `${name}: kms:Encrypt`),
      ...declaring((a) => a.secrets === 'open').map((name) => `${name}: kms:Decrypt`),
    ].sort();
    expect(grants.whoMay(stack.secretsKey)).toEqual(expected);
    expect(expected).toEqual(['PutWebhook: kms:Encrypt', 'SendWebhook: kms:Decrypt']);
  });

  it.each(declaring((a) => a.secrets !== undefined))('tells %s which key it is', (name) => {
    expect(envOf(name)[ENV.secretsKeyId]).toEqual(arnOf(stack.secretsKey));
  });
});

describe('the Stripe API key secret', () => {
  it('may be read by Charge and Refund only', () => {
    const readers = declaring((a) => a.payments === true);
    expect(readers).toEqual(['Charge', 'Refund']);
    expect(grants.whoMay(stack.stripeSecret)).toEqual(
      readers.map((name) => `${name}: secretsmanager:GetSecretValue`).sort(),
    );
  });

  it.each(declaring((a) => a.payments === true))('tells %s where the key is', (name) => {
    expect(envOf(name)[ENV.stripeSecretArn]).toEqual(ref(stack.stripeSecret));
    expect(envOf(name)[ENV.stripeSecretKey]).toBeUndefined();
  });
});

describe('the events bus', () => {
  it('lets PostEvents put events on the events bus only, and nobody else put events anywhere', () => {
    expect(declaring((a) => (a.putEvents ?? []).length > 0)).toEqual(['PostEvents']);
    expect(allowing(/^events:/)).toHaveLength(1);
    expect(grants.whoMay(busOf('events'))).toEqual(['PostEvents: events:PutEvents']);
  });

  it.each(declaring((a) => (a.putEvents ?? []).length > 0))('tells %s the bus name', (name) => {
    const { putEvents = [] } = declared.find(([n]) => n === name)?.[1] ?? {};
    for (const key of putEvents) {
      expect(envOf(name)[eventBuses[key].nameEnv]).toEqual(ref(busOf(key)));
    }
  });
});

describe('schedules', () => {
  it('lets only PutActivity manage schedules, and pass the scheduler role, only to Scheduler', () => {
    expect(declaring((a) => a.schedules === 'manage')).toEqual(['PutActivity']);
    const scheduling = allowing(/^(scheduler:(Create|Update)Schedule|iam:)/);
    expect(scheduling).toHaveLength(2);
    expect(grants.whoMay(stack.schedules.role)).toEqual(['PutActivity: iam:PassRole']);
    const passRole = scheduling.find((s) => s.Action === 'iam:PassRole');
    expect(passRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
  });

  it('lets only StopSchedules (deprovisioning) delete schedules without managing them', () => {
    expect(declaring((a) => a.schedules === 'delete')).toEqual(['StopSchedules']);
    expect(envOf('StopSchedules')).toMatchObject({
      [ENV.scheduleGroupName]: stack.schedules.group.scheduleGroupName,
    });
    expect(envOf('StopSchedules')[ENV.schedulerRoleArn]).toBeUndefined();
  });

  it.each(declaring((a) => a.schedules === 'manage'))(
    'tells %s the group, role, dispatcher and DLQ every schedule uses',
    (name) => {
      const dispatcher = stack.events.function('ScheduleDispatcher');
      expect(envOf(name)).toMatchObject({
        [ENV.scheduleGroupName]: stack.schedules.group.scheduleGroupName,
        [ENV.schedulerRoleArn]: arnOf(stack.schedules.role),
        [ENV.scheduleTargetArn]: arnOf(dispatcher),
        [ENV.scheduleDlqArn]: arnOf(stack.schedules.deadLetterQueue),
      });
    },
  );

  it('fails the synth for a function that manages schedules before the group exists', () => {
    const scope = new Stack(testApp(), 'TooEarly');
    const build = () =>
      new RetrysafeFunction(scope, 'Early', {
        targets: accessTargetsIn(scope),
        entry: 'lambdas/http/put-activity.ts',
        access: { schedules: 'manage' },
        kind: 'api',
      });
    expect(build).toThrow(/TooEarly\/Early manages schedules, but the schedule group is not built/);
  });
});

describe('outbound configuration', () => {
  it('lets no function in AWS reach webhook receivers on loopback', () => {
    // WEBHOOK_ALLOW_LOOPBACK is the twin's switch; in AWS the SSRF guard must stay whole.
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBe(declared.length);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.webhookAllowLoopback);
    }
  });
});
