import { randomBytes } from 'node:crypto';
import { streamConsumers } from '../../lambdas/events/consumers.ts';
import { setSinkFault } from '../../lambdas/lib/adapters/sink-mailer.ts';
import { STRIPE_TIMEOUT_MS } from '../../lambdas/lib/adapters/stripe-payments.ts';
import { idempotencyTable, platformTable } from '../tables.ts';
import { LocalAwsEndpoint } from './aws-endpoint.ts';
import { LOCAL_SCHEDULE_GROUP } from './constants.ts';
import { devRoutes } from './dev-routes.ts';
import { createTable, localDynamoClient, startDynamoDbLocal } from './dynamodb-local.ts';
import { applyTwinEnvironment, localTableNames } from './environment.ts';
import { LocalEventBus } from './event-bus.ts';
import { Faults, faultCatalogue } from './faults.ts';
import { LocalFunctions } from './functions.ts';
import { LocalGateway } from './gateway.ts';
import { kmsOperations } from './kms.ts';
import { LocalScheduler } from './scheduler.ts';
import { sfnOperations } from './sfn/api.ts';
import { loadWorkflows } from './sfn/definitions.ts';
import { LocalExecutions } from './sfn/executions.ts';
import { TaskFaults } from './sfn/task-invoker.ts';
import { LocalStreamPoller } from './streams.ts';
import { StripeFake } from './stripe-fake.ts';

export interface TwinOptions {
  /** Gateway port; 0 picks a free one. Default 3000. */
  readonly port?: number;
  readonly host?: string;
  /** Generated (32 random bytes, base64url) when absent. */
  readonly adminToken?: string;
  /** `RETRYSAFE_FAULTS` syntax (see docs/twin.md). */
  readonly faults?: string;
  /** Use this DynamoDB Local instead of starting one (the tests share one per run). */
  readonly dynamoEndpoint?: string;
  /** Table name prefix, so several twins can share one DynamoDB Local. */
  readonly tablePrefix?: string;
  /**
   * Factor applied to ASL retry windows, task timeouts, Wait states and claim leases (default
   * 0.01: 1 s → 10 ms), so their relations are the same as in AWS.
   */
  readonly timeScale?: number;
  readonly logLevel?: string;
  /**
   * Per-attempt timeout of the Stripe adapter (default: the adapter's own, as in AWS); a
   * `provider.charge:timeout` fault costs this much, so fault-heavy tests shorten it. The fake
   * holds a timed-out response longer than any of these.
   */
  readonly stripeTimeoutMs?: number;
  /** Fire schedules on the real clock (default true); tests fire them through the dev route. */
  readonly schedulerTimers?: boolean;
  /**
   * API Gateway's integration timeout (default AWS's 29 s). The integration tests raise it: on a
   * CPU-starved CI machine twenty concurrent requests in one process can take longer than 29 s,
   * which says nothing about AWS, where each has its own instance. The 29 s answer itself is
   * tested on its own.
   */
  readonly gatewayTimeoutMs?: number;
  /**
   * Multiplies every Lambda timeout (default 1: the CDK configuration's). The integration tests
   * raise it for the same reason as `gatewayTimeoutMs`; the timeout itself is tested on its own.
   */
  readonly lambdaTimeoutFactor?: number;
}

export interface Twin {
  /** Base URL of the API, ending in `/v1`. */
  readonly url: string;
  readonly adminToken: string;
  readonly awsEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly tables: { readonly platform: string; readonly idempotency: string };
  readonly faults: Faults;
  readonly executions: LocalExecutions;
  readonly functions: LocalFunctions;
  readonly eventBus: LocalEventBus;
  readonly payments: StripeFake;
  readonly scheduler: LocalScheduler;
  stop(): Promise<void>;
}

let running = false;

/**
 * Starts the local twin: DynamoDB Local (unless given) with tables from the shared definitions;
 * one loopback endpoint for the AWS APIs the handlers call (Step Functions, KMS, EventBridge);
 * the ASL files on aws-local-stepfunctions; stream pollers; the Stripe fake; and the gateway.
 * One twin per process: handlers read their configuration from the environment at import.
 */
export const startTwin = async (options: TwinOptions = {}): Promise<Twin> => {
  if (running) throw new Error('A twin is already running in this process');
  const timeScale = options.timeScale ?? 0.01;
  const workflows = loadWorkflows(timeScale);
  // A fault naming no Task state, target or mode refuses the start (before anything runs).
  const faults = new Faults(
    options.faults,
    faultCatalogue(workflows.flatMap((workflow) => [...workflow.tasks.keys()])),
  );
  running = true;
  const adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
  const dynamo = options.dynamoEndpoint
    ? { endpoint: options.dynamoEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal();
  const aws = new LocalAwsEndpoint();
  const awsEndpoint = await aws.listen();
  const payments = new StripeFake({ faults });
  const stripeApiBase = await payments.listen();
  const tablePrefix = options.tablePrefix ?? 'retrysafe-';
  const logLevel = options.logLevel ?? 'INFO';
  applyTwinEnvironment({
    dynamoEndpoint: dynamo.endpoint,
    awsEndpoint,
    tablePrefix,
    adminToken,
    logLevel,
    stripeApiBase,
    stripeTimeoutMs: options.stripeTimeoutMs ?? STRIPE_TIMEOUT_MS,
    timeScale,
  });

  const tables = localTableNames(tablePrefix);
  const client = localDynamoClient(dynamo.endpoint);
  await createTable(client, platformTable, tables.platform);
  await createTable(client, idempotencyTable, tables.idempotency);
  client.destroy();

  const functions = new LocalFunctions([], options.lambdaTimeoutFactor);
  const invoke = (name: string, event: unknown) => functions.invoke(name, event);
  setSinkFault(() => faults.take('mail', 'fail'));
  const timeouts = new Map<string, number>();
  for (const workflow of workflows)
    for (const [state, ms] of Object.entries(workflow.timeouts))
      timeouts.set(state, Math.min(ms, timeouts.get(state) ?? ms));
  const taskFaults = new TaskFaults(faults, invoke, (state) => timeouts.get(state) ?? 250);
  const executions = new LocalExecutions(workflows, taskFaults.invoker, () => taskFaults.idle());
  const eventBus = new LocalEventBus({ invoke });
  const scheduler = new LocalScheduler(invoke, {
    groups: [LOCAL_SCHEDULE_GROUP],
    timers: options.schedulerTimers ?? true,
  });
  aws.addRest(...scheduler.operations());
  aws.addJson(sfnOperations(executions));
  aws.addJson(kmsOperations());
  aws.addJson(eventBus.operations());
  // Every handler is imported before anything can invoke one. The twin compiles TypeScript on
  // import, which on a slow machine takes longer than a Task's TimeoutSeconds; Step Functions'
  // clock would count it against the first invocation and time out a step that AWS (whose init is
  // a bundle load) would not. A handler that fails to load fails the start.
  await functions.warm();
  const pollers = streamConsumers.map(
    (consumer) => new LocalStreamPoller(dynamo.endpoint, tables[consumer.table], consumer, invoke),
  );
  for (const poller of pollers) poller.start();

  const gateway = new LocalGateway(
    functions,
    devRoutes({ faults, payments, scheduler }),
    options.gatewayTimeoutMs,
  );
  const url = await gateway.listen(options.port ?? 3000, options.host ?? '127.0.0.1');
  return {
    url,
    adminToken,
    awsEndpoint,
    dynamoEndpoint: dynamo.endpoint,
    tables,
    faults,
    executions,
    functions,
    eventBus,
    payments,
    scheduler,
    stop: async () => {
      await gateway.close();
      await Promise.all(pollers.map((poller) => poller.stop()));
      scheduler.stop();
      await scheduler.idle();
      await eventBus.idle();
      await executions.stop();
      taskFaults.uninstall();
      setSinkFault(undefined);
      await payments.close();
      await aws.close();
      await dynamo.stop();
      running = false;
    },
  };
};
