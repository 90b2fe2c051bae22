import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPENSATION_FAILED } from '#infra/constructs/alarms.ts';
import { IDEMPOTENCY_METRICS, OUTCOME_GRAPHS } from '#infra/constructs/dashboard.ts';
import { fromRepoRoot } from '#infra/constructs/paths.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import { stageSettings } from '#infra/stage.ts';
import { OUTCOMES } from '#lib/ports/outcomes.ts';
import { workflows } from '#lib/workflows.ts';
import { authorizer } from '../../lambdas/http/routes.ts';
import { logicalIdOf, synthesize } from './synth.ts';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
type Alarm = Record<string, unknown> & { AlarmActions?: unknown[]; OKActions?: unknown[] };

let stack: RetrysafeStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesize());
});

const resources = (t: Template, type: string): [string, Resource][] =>
  Object.entries(t.findResources(type) as Record<string, Resource>);
const alarms = (t: Template): Alarm[] =>
  resources(t, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties as Alarm);
const ref = (logicalId: string) => ({ Ref: logicalId });
/** Alarms on this metric with exactly these dimensions. */
const alarmsOn = (t: Template, metricName: string, dimensions: unknown): Alarm[] =>
  alarms(t).filter(
    (a) =>
      a.MetricName === metricName && JSON.stringify(a.Dimensions) === JSON.stringify(dimensions),
  );

/** Every function in the stack, by name. */
const functions = () =>
  new Map([
    ...stack.api.functions,
    ...stack.workflows.stepFunctions,
    ...stack.events.functions,
    ...stack.streamConsumers.functions,
  ]);

describe('alarm topic', () => {
  it('creates one TLS-only topic, encrypted with a rotating key CloudWatch may use', () => {
    const topics = resources(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const key = logicalIdOf(stack, stack.node.findChild('AlarmTopicKey'));
    expect(topics[0]?.[1].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    const keyPolicy = JSON.stringify(
      template.toJSON().Resources[key].Properties.KeyPolicy.Statement,
    );
    expect(keyPolicy).toContain('"Service":"cloudwatch.amazonaws.com"');
    expect(keyPolicy).toContain('kms:GenerateDataKey*');

    const [policy] = resources(template, 'AWS::SNS::TopicPolicy');
    const statements = policy?.[1].Properties.PolicyDocument as { Statement: unknown[] };
    expect(statements.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
        }),
      ]),
    );
    expect(resources(template, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('is the action of every alarm in the stack, on ALARM and on OK', () => {
    const topic = ref(logicalIdOf(stack, stack.alarmTopic));
    const all = alarms(template);
    expect(all.length).toBeGreaterThan(0);
    for (const alarm of all) {
      expect([alarm.AlarmName, alarm.AlarmActions]).toEqual([alarm.AlarmName, [topic]]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmName).toMatch(/^Retrysafe-/);
    }
  });
});

describe('alarms', () => {
  it.each(Object.keys(workflows))('alarms on failed and timed-out executions of %s', (name) => {
    const machine = stack.workflows.stateMachines.get(name as keyof typeof workflows);
    if (!machine) throw new Error(`No state machine ${name}`);
    const dimensions = [{ Name: 'StateMachineArn', Value: ref(logicalIdOf(stack, machine)) }];
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const [alarm, ...more] = alarmsOn(template, metric, dimensions);
      expect(more).toEqual([]);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/States',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it(`counts executions entering ${COMPENSATION_FAILED} from the execution log, and alarms on one`, () => {
    const withState = Object.values(workflows).filter((w) =>
      readFileSync(fromRepoRoot(w.file), 'utf8').includes(`"Error": "${COMPENSATION_FAILED}"`),
    );
    expect(withState.map((w) => w.name).sort()).toEqual(['charge-order', 'provision-project']);
    const filters = resources(template, 'AWS::Logs::MetricFilter').map(([, r]) => r.Properties);
    expect(filters).toHaveLength(withState.length);
    for (const workflow of withState) {
      const logs = stack.workflows.logGroups.get(workflow.name);
      if (!logs) throw new Error(`No log group for ${workflow.name}`);
      const filter = filters.find(
        (f) => JSON.stringify(f.LogGroupName) === JSON.stringify(ref(logicalIdOf(stack, logs))),
      );
      if (!filter) throw new Error(`No metric filter on the log group of ${workflow.name}`);
      expect(filter.FilterPattern).toContain('$.type = "FailStateEntered"');
      expect(filter.FilterPattern).toContain(`$.details.name = "${COMPENSATION_FAILED}"`);
      const [transformation] = filter.MetricTransformations as Record<string, string>[];
      const watching = alarms(template).filter(
        (a) =>
          a.MetricName === transformation?.MetricName &&
          a.Namespace === transformation?.MetricNamespace,
      );
      expect(watching).toHaveLength(1);
      expect(watching[0]).toMatchObject({ Threshold: 1, Statistic: 'Sum', Period: 60 });
    }
  });

  it('alarms when 1% or more of at least 10 API requests in 5 minutes are answered 5xx', () => {
    const [alarm, ...more] = alarms(template).filter((a) => a.Metrics !== undefined);
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const metrics = JSON.stringify(alarm?.Metrics);
    expect(metrics).toContain('IF(requests >= 10, 100 * errors / requests, 0)');
    expect(metrics).toContain('"MetricName":"5XXError"');
    expect(metrics).toContain('"MetricName":"Count"');
    const stage = logicalIdOf(stack, stack.api.restApi.deploymentStage);
    expect(metrics).toContain(
      `[{"Name":"ApiName","Value":"Retrysafe"},{"Name":"Stage","Value":{"Ref":"${stage}"}}]`,
    );
  });

  it('alarms on any error of every function but the authorizer, whose errors are 401s', () => {
    for (const [name, fn] of functions()) {
      const watching = alarmsOn(template, 'Errors', [
        { Name: 'FunctionName', Value: ref(logicalIdOf(stack, fn)) },
      ]);
      expect([name, watching.length]).toEqual([name, name === authorizer.name ? 0 : 1]);
    }
  });

  it('alarms on the first message of every dead-letter queue', () => {
    const queues = resources(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(4);
    for (const [id] of queues) {
      const dimensions = [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }];
      expect(alarmsOn(template, 'ApproximateNumberOfMessagesVisible', dimensions)).toHaveLength(1);
    }
  });
});

describe('dashboard', () => {
  const body = () => {
    const dashboards = resources(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    return JSON.stringify(dashboards[0]?.[1].Properties.DashboardBody);
  };

  it('shows the API, every function, state machine and dead-letter queue by reference', () => {
    const text = body();
    const stage = logicalIdOf(stack, stack.api.restApi.deploymentStage);
    expect(text).toContain(`\\"ApiName\\",\\"Retrysafe\\",\\"Stage\\",\\"",{"Ref":"${stage}"}`);
    for (const metric of ['4XXError', '5XXError', 'Latency', 'p50', 'p99']) {
      expect(text).toContain(metric);
    }
    for (const [name, fn] of functions()) {
      expect(text, name).toContain(JSON.stringify(ref(logicalIdOf(stack, fn))));
    }
    for (const [name, machine] of stack.workflows.stateMachines) {
      expect(text, name).toContain(JSON.stringify(ref(logicalIdOf(stack, machine))));
    }
    for (const metric of ['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(text).toContain(metric);
    }
    for (const [id] of resources(template, 'AWS::SQS::Queue')) {
      expect(text, id).toContain(JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }));
    }
  });

  it('shows the idempotency metrics the HTTP layer emits, and only those', () => {
    const source = readFileSync(fromRepoRoot('lambdas/lib/http/idempotency.ts'), 'utf8');
    const emitted = [...source.matchAll(/addMetric\('(\w+)'/g)].map((m) => m[1]);
    expect([...IDEMPOTENCY_METRICS].sort()).toEqual(emitted.sort());
    const text = body();
    for (const metric of IDEMPOTENCY_METRICS) expect(text).toContain(metric);
  });

  it('graphs every business outcome once, as the Powertools metric the functions emit', () => {
    const graphed = OUTCOME_GRAPHS.flatMap((g) => g.outcomes);
    expect([...graphed].sort()).toEqual([...OUTCOMES].sort());
    const [dashboard] = resources(template, 'AWS::CloudWatch::Dashboard');
    const body = dashboard?.[1].Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    // Tokens (region, references) sit inside JSON strings; any text stands in for them.
    const json = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'token'));
    const widgets = JSON.parse(json.join('')).widgets as {
      properties: { title?: string; metrics?: unknown[][] };
    }[];
    for (const { title, outcomes } of OUTCOME_GRAPHS) {
      const widget = widgets.find((w) => w.properties.title === title);
      expect(widget, title).toBeDefined();
      expect(widget?.properties.metrics?.map((m) => m.slice(0, 4))).toEqual(
        outcomes.map((outcome) => ['retrysafe', outcome, 'service', 'retrysafe']),
      );
    }
  });
});

describe('stages', () => {
  const settings = (context: Record<string, unknown>) => {
    const cdkJson = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')).context;
    return stageSettings(new App({ context: { ...cdkJson, ...context } }).node);
  };

  it('defaults to dev with the settings the stack always had', () => {
    expect(settings({})).toEqual({
      stage: 'dev',
      mailFrom: 'no-reply@example.com',
      logLevel: 'INFO',
      logRetention: 30,
      alarmTopicArn: undefined,
      alarmEmail: undefined,
    });
    expect(stack.stackName).toBe('Retrysafe');
  });

  it("takes cdk.json's stages.<stage> over the defaults, and -c over both", () => {
    expect(settings({ stage: 'prod' })).toMatchObject({ stage: 'prod', logRetention: 90 });
    expect(settings({ stage: 'prod', logRetentionDays: 7 })).toMatchObject({ logRetention: 7 });
    expect(settings({ stage: 'qa', logLevel: 'DEBUG' })).toMatchObject({
      logLevel: 'DEBUG',
      logRetention: 30,
    });
  });

  it('refuses a stage, log level, retention or topic ARN it cannot use', () => {
    expect(() => settings({ stage: 'Prod_1' })).toThrow(/stage=Prod_1/);
    expect(() => settings({ logLevel: 'LOUD' })).toThrow(/logLevel=LOUD/);
    expect(() => settings({ logRetentionDays: 31 })).toThrow(/logRetentionDays=31/);
    expect(() => settings({ alarmTopicArn: 'team-alerts' })).toThrow(/alarmTopicArn/);
  });

  it('names the stack after a non-dev stage, uses its retention and subscribes alarmEmail', () => {
    const prod = synthesize({}, { stage: 'prod', alarmEmail: 'oncall@example.com' });
    expect(prod.stack.stackName).toBe('Retrysafe-prod');
    const retentions = resources(prod.template, 'AWS::Logs::LogGroup').map(
      ([, r]) => r.Properties.RetentionInDays,
    );
    expect(new Set(retentions)).toEqual(new Set([90]));
    expect(resources(prod.template, 'AWS::SNS::Subscription').map(([, r]) => r.Properties)).toEqual(
      [
        {
          Protocol: 'email',
          Endpoint: 'oncall@example.com',
          TopicArn: ref(logicalIdOf(prod.stack, prod.stack.alarmTopic)),
        },
      ],
    );
    expect(JSON.stringify(prod.template.toJSON())).toContain('"Retrysafe-prod-');
  });

  it('sends every alarm to the topic alarmTopicArn names, and creates none', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:team-alerts';
    const shared = synthesize({}, { alarmTopicArn: arn, alarmEmail: 'oncall@example.com' });
    expect(resources(shared.template, 'AWS::SNS::Topic')).toEqual([]);
    expect(resources(shared.template, 'AWS::KMS::Key')).toHaveLength(2);
    for (const alarm of alarms(shared.template)) {
      expect(alarm.AlarmActions).toEqual([arn]);
      expect(alarm.OKActions).toEqual([arn]);
    }
    expect(
      resources(shared.template, 'AWS::SNS::Subscription').map(([, r]) => r.Properties.TopicArn),
    ).toEqual([arn]);
  });
});
