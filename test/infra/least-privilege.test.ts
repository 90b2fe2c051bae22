import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromRepoRoot } from '#infra/constructs/paths.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import { placeholdersIn } from '#infra/substitutions.ts';
import { idempotencyTable, platformTable } from '#infra/tables.ts';
import type { Access } from '#lib/access.ts';
import { ENV } from '#lib/config.ts';
import { eventBuses } from '#lib/event-rules.ts';
import { functionArnKey, workflows } from '#lib/workflows.ts';
import { streamConsumers } from '../../lambdas/events/consumers.ts';
import { steps } from '../../lambdas/steps/registry.ts';
import {
  busName,
  declaredIn,
  found,
  grantReader,
  list,
  type Source,
  type Statement,
} from './grants.ts';
import { logicalIdOf, propertiesOf, synthesize } from './synth.ts';

let stack: RetrysafeStack;
let template: Template;
let grants: ReturnType<typeof grantReader>;

beforeAll(() => {
  ({ stack, template } = synthesize());
  grants = grantReader(stack, template);
});

/** The Access fields `expectedGrants` and `expectedEnv` know; grantAccess must know them too. */
const SPELLED_OUT = [
  'platform',
  'idempotency',
  'startExecution',
  'describeExecutions',
  'sendMail',
  'adminSecret',
  'secrets',
  'putEvents',
  'payments',
  'schedules',
] as const satisfies readonly (keyof Access)[];

/**
 * What an Access must grant, written out longhand — the spec the construct is held to — plus
 * what a stream consumer's event source mapping needs to poll its stream and park failures, and
 * what an asynchronously invoked function needs to park an invocation that kept failing.
 */
const expectedGrants = (
  name: string,
  {
    platform,
    idempotency,
    startExecution,
    describeExecutions,
    sendMail,
    adminSecret,
    secrets,
    putEvents,
    payments,
    schedules,
  }: Access,
  source?: Source,
) => {
  const grants = [
    'xray:PutTelemetryRecords on *',
    'xray:PutTraceSegments on *',
    'logs:CreateLogStream on OwnLogs',
    'logs:PutLogEvents on OwnLogs',
  ];
  const on = (target: string, ...actions: string[]) =>
    grants.push(...actions.map((action) => `${action} on ${target}`));
  if (platform) {
    on('PlatformTable', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query');
    on('PlatformTable/index/gsi1', 'dynamodb:Query');
  }
  if (platform === 'write') {
    on('PlatformTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    on('PlatformTable', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem');
  }
  if (idempotency) {
    on('IdempotencyTable', 'dynamodb:GetItem', 'dynamodb:PutItem');
    on('IdempotencyTable', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
  }
  if (platform === 'write' || idempotency) {
    on('TableKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
  } else if (platform === 'read') {
    on('TableKey', 'kms:Decrypt');
  }
  for (const workflow of startExecution ?? []) on(workflow, 'states:StartExecution');
  for (const workflow of describeExecutions ?? []) {
    on(`${workflow} executions`, 'states:DescribeExecution');
  }
  if (sendMail) on('SES identity/no-reply@example.com', 'ses:SendEmail');
  if (sendMail) on('SES identity/example.com', 'ses:SendEmail');
  if (adminSecret) on('AdminToken', 'secretsmanager:GetSecretValue');
  if (secrets === 'seal') on('SecretsKey', 'kms:Encrypt');
  if (secrets === 'open') on('SecretsKey', 'kms:Decrypt');
  for (const bus of putEvents ?? []) on(busName(bus), 'events:PutEvents');
  if (payments) on('StripeSecretKey', 'secretsmanager:GetSecretValue');
  if (schedules === 'manage') {
    on('ScheduleGroup schedules', 'scheduler:CreateSchedule', 'scheduler:UpdateSchedule');
    on('ScheduleGroup schedules', 'scheduler:DeleteSchedule');
    on('SchedulerRole', 'iam:PassRole');
  }
  if (schedules === 'delete') on('ScheduleGroup schedules', 'scheduler:DeleteSchedule');
  if (source === 'async') {
    on(`${name} failures`, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
  } else if (source) {
    const table = source.table === 'idempotency' ? 'IdempotencyTable' : 'PlatformTable';
    on(`${table} stream`, 'dynamodb:DescribeStream', 'dynamodb:GetRecords');
    on(`${table} stream`, 'dynamodb:GetShardIterator');
    on('*', 'dynamodb:ListStreams');
    on('TableKey', 'kms:Decrypt');
    on(`${source.name} DLQ`, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
  }
  return [...new Set(grants)].sort();
};

const expectedEnv = ({
  platform,
  idempotency,
  startExecution,
  sendMail,
  adminSecret,
  secrets,
  putEvents,
  payments,
  schedules,
}: Access) =>
  [
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_METRICS_NAMESPACE',
    'POWERTOOLS_LOG_LEVEL',
    ...(platform ? [platformTable.envVar] : []),
    ...(idempotency ? [idempotencyTable.envVar] : []),
    ...(startExecution ?? []).map((name) => workflows[name].arnEnv),
    ...(sendMail ? [ENV.mailFrom, ENV.mailTransport] : []),
    ...(adminSecret ? [ENV.adminTokenSecretArn] : []),
    ...(secrets ? [ENV.secretsKeyId] : []),
    ...(putEvents ?? []).map((bus) => eventBuses[bus].nameEnv),
    ...(payments ? [ENV.stripeSecretArn] : []),
    ...(schedules === 'manage'
      ? [ENV.scheduleGroupName, ENV.schedulerRoleArn, ENV.scheduleTargetArn, ENV.scheduleDlqArn]
      : []),
    ...(schedules === 'delete' ? [ENV.scheduleGroupName] : []),
  ].sort();

const routeFunction = (name: string) => found(stack.api.functions, name);
const consumerFunction = (name: string) => found(stack.streamConsumers.functions, name);
const grantsOfFunction = (fn: LambdaFunction) => grants.grantsOfFunction(fn);
const declared = () => declaredIn(() => stack);

describe('function permissions', () => {
  it('checks every Lambda function in the template against a declaration', () => {
    const checked = declared().map(([, , fn]) => logicalIdOf(stack, fn()));
    expect(checked.sort()).toEqual(
      Object.keys(template.findResources('AWS::Lambda::Function')).sort(),
    );
  });

  it('spells out every Access field a function declares (an unknown one would go ungranted)', () => {
    const unchecked = declared().flatMap(([name, access]) =>
      Object.keys(access)
        .filter((field) => !(SPELLED_OUT as readonly string[]).includes(field))
        .map((field) => `${name}.${field}`),
    );
    expect(unchecked).toEqual([]);
  });

  it.each(declared())('grants %s exactly what its Access declares', (name, access, fn, source) => {
    expect(grantsOfFunction(fn())).toEqual(expectedGrants(name, access, source));
  });

  it.each(declared())('gives %s exactly the env vars its Access needs', (_, access, fn) => {
    const env = propertiesOf(template, logicalIdOf(stack, fn())).Environment as {
      Variables: Record<string, unknown>;
    };
    expect(Object.keys(env.Variables).sort()).toEqual(expectedEnv(access));
  });

  it.each(declared())('attaches no managed or inline policies to the %s role', (_, __, fn) => {
    const role = fn().role;
    if (!role) throw new Error('No role');
    const properties = propertiesOf(template, logicalIdOf(stack, role));
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(properties.Policies).toBeUndefined();
  });

  it.each(['GetHealth', 'GetOpenApi'])(
    'gives %s no permission on any data, secret, workflow, bus or schedule',
    (name) => {
      const granted = grantsOfFunction(routeFunction(name));
      const pattern = /^(dynamodb|kms|states|secretsmanager|ses|events|scheduler|iam|sqs):/;
      expect(granted.filter((g) => pattern.test(g))).toEqual([]);
    },
  );

  it.each(['GetProject', 'GetKeys', 'GetAudit'])(
    'lets %s only read the platform table and never touch the idempotency table',
    (name) => {
      const granted = grantsOfFunction(routeFunction(name));
      expect(granted.filter((g) => /^(dynamodb|kms):/.test(g))).toEqual([
        'dynamodb:BatchGetItem on PlatformTable',
        'dynamodb:GetItem on PlatformTable',
        'dynamodb:Query on PlatformTable',
        'dynamodb:Query on PlatformTable/index/gsi1',
        'kms:Decrypt on TableKey',
      ]);
      expect(granted.filter((g) => g.includes('IdempotencyTable'))).toEqual([]);
    },
  );

  it.each([
    ['PostProjects', 'provision-project', []],
    [
      'DeleteProject',
      'deprovision-project',
      ['states:DescribeExecution on deprovision-project executions'],
    ],
  ])('lets %s start executions of %s only', (name, workflow, reads) => {
    const granted = grantsOfFunction(routeFunction(name));
    expect(granted.filter((g) => g.startsWith('states:'))).toEqual([
      ...reads,
      `states:StartExecution on ${workflow}`,
    ]);
  });

  it('lets AuditExpiredRecords see the idempotency table only through its KEYS_ONLY stream', () => {
    const granted = grantsOfFunction(consumerFunction('AuditExpiredRecords'));
    expect(granted.filter((g) => g.includes('IdempotencyTable'))).toEqual([
      'dynamodb:DescribeStream on IdempotencyTable stream',
      'dynamodb:GetRecords on IdempotencyTable stream',
      'dynamodb:GetShardIterator on IdempotencyTable stream',
    ]);
  });

  it.each(streamConsumers.map((c) => c.name))(
    'gives %s dynamodb:ListStreams on "*" in a policy of its own, apart from the X-Ray "*"',
    (name) => {
      const role = consumerFunction(name).role;
      if (!role) throw new Error(`No role for ${name}`);
      const onAnything = [...grants.policiesOf(role)].map(([id, statements]) => [
        id,
        statements
          .filter((s) => s.Resource === '*')
          .flatMap((s) => list(s.Action))
          .sort(),
      ]);
      // Each acknowledgement of Resource "*" (role: X-Ray; own policy: ListStreams) stays true.
      expect(Object.fromEntries(onAnything)).toEqual({
        [logicalIdOf(stack, role.node.findChild('DefaultPolicy'))]: [
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ],
        [logicalIdOf(stack, stack.streamConsumers.node.findChild(`${name}ListStreams`))]: [
          'dynamodb:ListStreams',
        ],
      });
    },
  );

  it('uses the table key only through DynamoDB, the secrets key only with a project context', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const kms = statements.filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
    const onKey = (key: string) => kms.filter((s) => JSON.stringify(s.Resource).includes(key));
    const tableKey = onKey(`"${logicalIdOf(stack, stack.data.key)}"`);
    const secretsKey = onKey(`"${logicalIdOf(stack, stack.secretsKey)}"`);
    expect(tableKey.length).toBeGreaterThan(0);
    expect(secretsKey.length).toBeGreaterThan(0);
    expect(tableKey.length + secretsKey.length).toBe(kms.length);
    for (const statement of tableKey) {
      // Exactly DynamoDB in the stack's region: any looser value would let the role use the key
      // directly.
      expect(statement.Condition).toEqual({
        StringEquals: {
          'kms:ViaService': {
            'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
          },
        },
      });
    }
    for (const statement of secretsKey) {
      // A call without `projectId` in its EncryptionContext is refused.
      expect(statement.Condition).toEqual({
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['projectId'] },
        Null: { 'kms:EncryptionContext:projectId': 'false' },
      });
      expect(list(statement.Action)).toHaveLength(1);
    }
  });
});

describe('state machine permissions', () => {
  for (const wf of Object.values(workflows))
    it(`lets ${wf.name} invoke only the steps its ASL names`, () => {
      const machine = found(stack.workflows.stateMachines, wf.name);
      const used = placeholdersIn(readFileSync(fromRepoRoot(wf.file), 'utf8'));
      const invoked = steps.filter((s) => used.includes(functionArnKey(s.name))).map((s) => s.name);
      const granted = grants.grantsOf(machine.role);
      expect(invoked.length).toBeGreaterThan(0);
      expect(granted.filter((g) => g.startsWith('lambda:'))).toEqual(
        invoked.map((name) => `lambda:InvokeFunction on ${name}`).sort(),
      );
      // The Resource "*" acknowledgement on the state machine covers log delivery and X-Ray only.
      expect(granted.filter((g) => g.endsWith(' on *') && !/^(logs|xray):/.test(g))).toEqual([]);
    });

  it('lets deprovision-project invoke only its five steps, never a provisioning one', () => {
    const machine = found(stack.workflows.stateMachines, 'deprovision-project');
    expect(grants.grantsOf(machine.role).filter((g) => g.startsWith('lambda:'))).toEqual([
      'lambda:InvokeFunction on DropTenantStorage',
      'lambda:InvokeFunction on RevokeAllKeys',
      'lambda:InvokeFunction on SetProjectStatus',
      'lambda:InvokeFunction on SoftDeleteTenant',
      'lambda:InvokeFunction on StopSchedules',
    ]);
  });
});
