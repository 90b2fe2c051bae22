import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { idempotencyTable, platformTable } from '#infra/tables.ts';
import type { Access } from '#lib/access.ts';
import { ENV } from '#lib/config.ts';
import { type EventBusKey, eventBuses } from '#lib/event-rules.ts';
import { type WorkflowName, workflows } from '#lib/workflows.ts';
import { grantScheduleDeletes, grantScheduleWrites, type ScheduleTargets } from './schedules.ts';

/** Everything an `Access` can name, resolved to the constructs of this stack. */
export interface AccessTargets {
  readonly platformTable: ITable;
  readonly idempotencyTable: ITable;
  /** The key both tables are encrypted with. */
  readonly tableKey: IKey;
  /** State machines built so far; naming a workflow that is not here fails the synth. */
  readonly stateMachines: ReadonlyMap<WorkflowName, StateMachine>;
  /** Sender address of every e-mail; `ses:SendEmail` is scoped to it (and its domain). */
  readonly mailFrom: string;
  readonly adminToken: ISecret;
  /** Seals stored secrets (webhook signing secrets); never used without a project context. */
  readonly secretsKey: IKey;
  /** The payment provider's API key (Stripe `sk_…`), put there by operators. */
  readonly stripeSecret: ISecret;
  /** Buses by their key in event-rules.ts; naming one that is not here fails the synth. */
  readonly eventBuses: ReadonlyMap<EventBusKey, IEventBus>;
  /** The activities' Scheduler setup; absent until the dispatcher exists (naming it fails). */
  readonly schedules?: ScheduleTargets;
}

const PLATFORM_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
// Transactions need no actions of their own: IAM checks each item's Put/Update/Delete/ConditionCheck.
const PLATFORM_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];
/** What Powertools idempotency calls on its table, and nothing else. */
const IDEMPOTENCY = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];
/** What a Lambda event source mapping calls on a stream, polling with the function's role. */
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const KMS_READ = ['kms:Decrypt'];
const KMS_WRITE = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'];

/**
 * Stored secrets open only for the project they were sealed for, because the adapter passes
 * `{projectId}` as the EncryptionContext. Requiring that key here makes IAM refuse a call without
 * it, so the key can never seal or open something bound to no project.
 */
const PROJECT_CONTEXT = {
  'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['projectId'] },
  Null: { 'kms:EncryptionContext:projectId': 'false' },
};

/**
 * The one place an `Access` becomes IAM statements and environment variables. Every function is
 * built through `RetrysafeFunction`, which calls this, so a function can touch exactly what its
 * route or step entry declares — and `test/infra` checks the policies against the same entries.
 */
export const grantAccess = (fn: LambdaFunction, access: Access, targets: AccessTargets): void => {
  const allow = (actions: string[], resources: string[]) =>
    fn.addToRolePolicy(new PolicyStatement({ actions, resources }));

  if (access.platform) {
    const write = access.platform === 'write';
    const table = targets.platformTable;
    allow(write ? [...PLATFORM_READ, ...PLATFORM_WRITE] : PLATFORM_READ, [table.tableArn]);
    // Indexes are named one by one from the definition, so no `index/*` wildcard is needed.
    const indexes = (platformTable.globalSecondaryIndexes ?? []).map(
      (index) => `${table.tableArn}/index/${index.indexName}`,
    );
    if (indexes.length > 0) allow(['dynamodb:Query'], indexes);
    allowKey(fn, targets.tableKey, write ? KMS_WRITE : KMS_READ);
    fn.addEnvironment(platformTable.envVar, table.tableName);
  }

  if (access.idempotency) {
    allow(IDEMPOTENCY, [targets.idempotencyTable.tableArn]);
    allowKey(fn, targets.tableKey, KMS_WRITE);
    fn.addEnvironment(idempotencyTable.envVar, targets.idempotencyTable.tableName);
  }

  for (const name of access.startExecution ?? []) {
    const stateMachine = targets.stateMachines.get(name);
    if (!stateMachine) {
      throw new Error(`${fn.node.path} starts ${name}, but that state machine is not built yet`);
    }
    allow(['states:StartExecution'], [stateMachine.stateMachineArn]);
    fn.addEnvironment(workflows[name].arnEnv, stateMachine.stateMachineArn);
  }

  for (const name of access.describeExecutions ?? []) {
    const stateMachine = targets.stateMachines.get(name);
    if (!stateMachine || !access.startExecution?.includes(name)) {
      throw new Error(`${fn.node.path} describes ${name} executions but does not start them`);
    }
    allowDescribeExecutions(fn, stateMachine);
  }

  if (access.sendMail) {
    const stack = Stack.of(fn);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    // SES authorizes against whichever identity is verified: the address itself or its domain.
    const domain = targets.mailFrom.split('@')[1] ?? targets.mailFrom;
    allow(['ses:SendEmail'], [identity(targets.mailFrom), identity(domain)]);
    fn.addEnvironment(ENV.mailFrom, targets.mailFrom);
    fn.addEnvironment(ENV.mailTransport, 'ses');
  }

  if (access.adminSecret) {
    // GetSecretValue only: `grantRead` would add DescribeSecret, which no code calls.
    allow(['secretsmanager:GetSecretValue'], [targets.adminToken.secretArn]);
    fn.addEnvironment(ENV.adminTokenSecretArn, targets.adminToken.secretArn);
  }

  if (access.secrets) {
    // Sealing and opening are separate rights: the route that stores a secret cannot read one back.
    const action = access.secrets === 'seal' ? 'kms:Encrypt' : 'kms:Decrypt';
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [action],
        resources: [targets.secretsKey.keyArn],
        conditions: PROJECT_CONTEXT,
      }),
    );
    fn.addEnvironment(ENV.secretsKeyId, targets.secretsKey.keyArn);
  }

  for (const key of access.putEvents ?? []) {
    const bus = targets.eventBuses.get(key);
    if (!bus) throw new Error(`${fn.node.path} puts events on ${key}, but that bus is not built`);
    allow(['events:PutEvents'], [bus.eventBusArn]);
    fn.addEnvironment(eventBuses[key].nameEnv, bus.eventBusName);
  }

  if (access.payments) {
    allow(['secretsmanager:GetSecretValue'], [targets.stripeSecret.secretArn]);
    fn.addEnvironment(ENV.stripeSecretArn, targets.stripeSecret.secretArn);
  }

  if (access.schedules) {
    if (!targets.schedules) {
      throw new Error(`${fn.node.path} manages schedules, but the schedule group is not built yet`);
    }
    if (access.schedules === 'manage') grantScheduleWrites(fn, targets.schedules);
    else grantScheduleDeletes(fn, targets.schedules);
  }
};

/**
 * Lets the event source mapping that feeds `fn` read one table's stream: the record actions on
 * that stream's ARN only, and decrypting it with the table key only through DynamoDB. Lambda also
 * requires `dynamodb:ListStreams`, which IAM grants on `*` alone (it has no resource type); that
 * statement gets a policy of its own, returned so the mapping can depend on it, so its
 * acknowledgement names exactly one statement and the role's X-Ray acknowledgement stays true.
 * Stream access is not an `Access`: no handler calls the stream, the mapping does.
 */
export const grantStreamRead = (fn: LambdaFunction, table: ITable, key: IKey): Policy => {
  const stream = table.tableStreamArn;
  if (!stream) {
    throw new Error(`${fn.node.path} reads the stream of ${table.node.path}, which has none`);
  }
  if (!fn.role) throw new Error(`${fn.node.path} has no role to grant stream reads to`);
  fn.addToRolePolicy(new PolicyStatement({ actions: STREAM_READ, resources: [stream] }));
  allowKey(fn, key, KMS_READ);
  const scope = fn.node.scope ?? fn;
  const listStreams = new Policy(scope, `${fn.node.id}ListStreams`, {
    roles: [fn.role],
    statements: [new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] })],
  });
  Validations.of(listStreams).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `dynamodb:ListStreams has no resource-level permissions, so it can only be granted on "*"; Lambda requires it to poll a stream for ${fn.node.id}. It lists stream ARNs only; reading records stays limited to this table's stream.`,
  });
  return listStreams;
};

/** Key use only on behalf of DynamoDB: the key alone never decrypts the other table's data. */
const allowKey = (fn: LambdaFunction, key: IKey, actions: string[]) =>
  fn.addToRolePolicy(
    new PolicyStatement({
      actions,
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(fn).region}.amazonaws.com` },
      },
    }),
  );

/**
 * DescribeExecution on this state machine's executions. Execution names are only known at run
 * time, so the ARN must end in `:*`; the acknowledgement names exactly that one resource pattern.
 */
const allowDescribeExecutions = (fn: LambdaFunction, stateMachine: StateMachine) => {
  const stack = Stack.of(fn);
  const executions = stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
  );
  // cdk-nag names the finding after the flattened ARN: GetAtt <LogicalId>.Name for the name.
  const logicalId = stack.getLogicalId(stateMachine.node.defaultChild as CfnStateMachine);
  const finding = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId}.Name>:*`;
  if (fn.role) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason: `DescribeExecution is limited to executions of ${stateMachine.node.id} (to tell a failed saga, which may be restarted, from a running or finished one); execution names are chosen at run time, so only the trailing execution name is a wildcard.`,
    });
  }
};
