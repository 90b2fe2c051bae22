import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromRepoRoot } from '#infra/constructs/paths.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import { placeholdersIn } from '#infra/substitutions.ts';
import { idempotencyTable, platformTable } from '#infra/tables.ts';
import type { Access } from '#lib/access.ts';
import { ENV } from '#lib/config.ts';
import { functionArnKey, workflows } from '#lib/workflows.ts';
import { type StreamConsumer, streamConsumers } from '../../lambdas/events/consumers.ts';
import { authorizer, routes } from '../../lambdas/http/routes.ts';
import { steps } from '../../lambdas/steps/registry.ts';
import { logicalIdOf, propertiesOf, synthesize } from './synth.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

let stack: RetrysafeStack;
let template: Template;
/** Logical id → readable name of every resource a statement may point at. */
let names: Map<string, string>;

beforeAll(() => {
  ({ stack, template } = synthesize());
  names = new Map([
    [logicalIdOf(stack, stack.data.platform), 'PlatformTable'],
    [logicalIdOf(stack, stack.data.idempotency), 'IdempotencyTable'],
    [logicalIdOf(stack, stack.data.key), 'TableKey'],
    [logicalIdOf(stack, stack.adminToken), 'AdminToken'],
    ...[...stack.workflows.stateMachines].map(([n, m]) => [logicalIdOf(stack, m), n] as const),
    ...[...stack.workflows.stepFunctions].map(([n, f]) => [logicalIdOf(stack, f), n] as const),
    ...[...stack.streamConsumers.deadLetterQueues].map(
      ([n, q]) => [logicalIdOf(stack, q), `${n} DLQ`] as const,
    ),
  ]);
});

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Logical id → statements of every policy attached to a role, wherever it was defined. */
const policiesOf = (role: IConstruct | undefined): Map<string, Statement[]> => {
  if (!role) throw new Error('No role');
  const ref = JSON.stringify({ Ref: logicalIdOf(stack, role) });
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, p]) =>
    (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === ref),
  );
  return new Map(
    policies.map(([id, p]) => [
      id,
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    ]),
  );
};
const statementsOf = (role: IConstruct | undefined) => [...policiesOf(role).values()].flat();

/** Every `action on resource` any policy of a role allows, with resources named. */
const grantsOf = (role: IConstruct | undefined, ownLogs = '') =>
  statementsOf(role)
    .flatMap((s) => {
      expect(s.Effect).toBe('Allow');
      return list(s.Action).flatMap((action) =>
        list(s.Resource).map((r) => `${action} on ${nameOf(r, ownLogs)}`),
      );
    })
    .sort();

const nameOf = (resource: unknown, ownLogs: string): string => {
  if (resource === '*') return '*';
  const text = JSON.stringify(resource);
  if (text.includes(':ses:')) return `SES identity/${text.match(/identity\/([^"]+)/)?.[1]}`;
  if (ownLogs && text.includes(`"${ownLogs}"`)) return 'OwnLogs';
  for (const [logicalId, name] of names) {
    if (!text.includes(`"${logicalId}"`)) continue;
    if (text.includes('/index/')) return `${name}/index/${text.match(/\/index\/([^"]+)/)?.[1]}`;
    if (text.includes('"StreamArn"')) return `${name} stream`;
    if (text.includes('"Name"')) return `${name} executions`;
    return name;
  }
  return `unexpected ${text}`;
};

/** The Access fields `expectedGrants` and `expectedEnv` know; grantAccess must know them too. */
const SPELLED_OUT = [
  'platform',
  'idempotency',
  'startExecution',
  'sendMail',
  'adminSecret',
] as const satisfies readonly (keyof Access)[];

/**
 * What an Access must grant, written out longhand — the spec the construct is held to — plus
 * what a stream consumer's event source mapping needs to poll its stream and park failures.
 */
const expectedGrants = (
  { platform, idempotency, startExecution, sendMail, adminSecret }: Access,
  consumer?: StreamConsumer,
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
  for (const workflow of startExecution ?? []) {
    on(workflow, 'states:StartExecution');
    on(`${workflow} executions`, 'states:DescribeExecution');
  }
  if (sendMail) on('SES identity/no-reply@example.com', 'ses:SendEmail');
  if (sendMail) on('SES identity/example.com', 'ses:SendEmail');
  if (adminSecret)
    on('AdminToken', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret');
  if (consumer) {
    const table = consumer.table === 'idempotency' ? 'IdempotencyTable' : 'PlatformTable';
    on(`${table} stream`, 'dynamodb:DescribeStream', 'dynamodb:GetRecords');
    on(`${table} stream`, 'dynamodb:GetShardIterator');
    on('*', 'dynamodb:ListStreams');
    on('TableKey', 'kms:Decrypt');
    on(`${consumer.name} DLQ`, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
  }
  return [...new Set(grants)].sort();
};

const expectedEnv = ({ platform, idempotency, startExecution, sendMail, adminSecret }: Access) =>
  [
    'NODE_OPTIONS',
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_METRICS_NAMESPACE',
    'POWERTOOLS_LOG_LEVEL',
    ...(platform ? [platformTable.envVar] : []),
    ...(idempotency ? [idempotencyTable.envVar] : []),
    ...(startExecution ?? []).map((name) => workflows[name].arnEnv),
    ...(sendMail ? [ENV.mailFrom, ENV.mailTransport] : []),
    ...(adminSecret ? [ENV.adminTokenSecretArn] : []),
  ].sort();

type Declared = [name: string, access: Access, fn: () => LambdaFunction, consumer?: StreamConsumer];

/**
 * Every function in the stack — routes, authorizer, steps, stream consumers — with the Access it
 * was declared with (built lazily, after synth).
 */
const declared = (): Declared[] => [
  [authorizer.name, authorizer.access, () => routeFunction(authorizer.name)],
  ...routes.map((r): Declared => [r.name, r.access, () => routeFunction(r.name)]),
  ...steps.map((s): Declared => [s.name, s.access, () => stepFunction(s.name)]),
  ...streamConsumers.map((c): Declared => [c.name, c.access, () => consumerFunction(c.name), c]),
];
const routeFunction = (name: string) => found(stack.api.functions.get(name), name);
const stepFunction = (name: string) => found(stack.workflows.stepFunctions.get(name), name);
const consumerFunction = (name: string) => found(stack.streamConsumers.functions.get(name), name);
const found = <T>(value: T | undefined, name: string): T => {
  if (!value) throw new Error(`No function ${name}`);
  return value;
};
const grantsOfFunction = (fn: LambdaFunction) => grantsOf(fn.role, logicalIdOf(stack, fn.logGroup));

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

  it.each(declared())('grants %s exactly what its Access declares', (_, access, fn, consumer) => {
    expect(grantsOfFunction(fn())).toEqual(expectedGrants(access, consumer));
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

  it('gives GetHealth no DynamoDB, KMS, Step Functions or Secrets Manager permission', () => {
    const grants = grantsOfFunction(routeFunction('GetHealth'));
    expect(grants.filter((g) => /^(dynamodb|kms|states|secretsmanager|ses):/.test(g))).toEqual([]);
  });

  it.each(['GetProject', 'GetKeys', 'GetAudit'])(
    'lets %s only read the platform table and never touch the idempotency table',
    (name) => {
      const grants = grantsOfFunction(routeFunction(name));
      expect(grants.filter((g) => /^(dynamodb|kms):/.test(g))).toEqual([
        'dynamodb:BatchGetItem on PlatformTable',
        'dynamodb:GetItem on PlatformTable',
        'dynamodb:Query on PlatformTable',
        'dynamodb:Query on PlatformTable/index/gsi1',
        'kms:Decrypt on TableKey',
      ]);
      expect(grants.filter((g) => g.includes('IdempotencyTable'))).toEqual([]);
    },
  );

  it.each([
    ['PostProjects', 'provision-project'],
    ['DeleteProject', 'deprovision-project'],
  ])('lets %s start executions of %s only', (name, workflow) => {
    const grants = grantsOfFunction(routeFunction(name));
    expect(grants.filter((g) => g.startsWith('states:'))).toEqual([
      `states:DescribeExecution on ${workflow} executions`,
      `states:StartExecution on ${workflow}`,
    ]);
  });

  it('lets AuditExpiredRecords see the idempotency table only through its KEYS_ONLY stream', () => {
    const grants = grantsOfFunction(consumerFunction('AuditExpiredRecords'));
    expect(grants.filter((g) => g.includes('IdempotencyTable'))).toEqual([
      'dynamodb:DescribeStream on IdempotencyTable stream',
      'dynamodb:GetRecords on IdempotencyTable stream',
      'dynamodb:GetShardIterator on IdempotencyTable stream',
    ]);
  });

  it.each(streamConsumers.map((c) => c.name))(
    'gives %s dynamodb:ListStreams on "*" in a policy of its own, apart from the X-Ray "*"',
    (name) => {
      const role = found(consumerFunction(name).role, name);
      const onAnything = [...policiesOf(role)].map(([id, statements]) => [
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

  it('limits every KMS permission to calls made through DynamoDB', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const kms = statements.filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const statement of kms) {
      expect(statement.Condition).toMatchObject({
        StringEquals: { 'kms:ViaService': expect.anything() },
      });
    }
  });
});

describe('state machine permissions', () => {
  for (const wf of Object.values(workflows))
    it(`lets ${wf.name} invoke only the steps its ASL names`, () => {
      const machine = found(stack.workflows.stateMachines.get(wf.name), wf.name);
      const used = placeholdersIn(readFileSync(fromRepoRoot(wf.file), 'utf8'));
      const invoked = steps.filter((s) => used.includes(functionArnKey(s.name))).map((s) => s.name);
      const grants = grantsOf(machine.role);
      expect(invoked.length).toBeGreaterThan(0);
      expect(grants.filter((g) => g.startsWith('lambda:'))).toEqual(
        invoked.map((name) => `lambda:InvokeFunction on ${name}`).sort(),
      );
      // The Resource "*" acknowledgement on the state machine covers log delivery and X-Ray only.
      expect(grants.filter((g) => g.endsWith(' on *') && !/^(logs|xray):/.test(g))).toEqual([]);
    });

  it('lets deprovision-project invoke only its four steps, never a provisioning one', () => {
    const machine = found(stack.workflows.stateMachines.get('deprovision-project'), 'deprovision');
    expect(grantsOf(machine.role).filter((g) => g.startsWith('lambda:'))).toEqual([
      'lambda:InvokeFunction on DropTenantStorage',
      'lambda:InvokeFunction on RevokeAllKeys',
      'lambda:InvokeFunction on SetProjectStatus',
      'lambda:InvokeFunction on SoftDeleteTenant',
    ]);
  });
});
