import { randomBytes } from 'node:crypto';
import { streamConsumers } from '../../lambdas/events/consumers.ts';
import { setSinkFault } from '../../lambdas/lib/adapters/sink-mailer.ts';
import { STRIPE_TIMEOUT_MS } from '../../lambdas/lib/adapters/stripe-payments.ts';
import type { EventBusKey } from '../../lambdas/lib/event-rules.ts';
import { logger } from '../../lambdas/lib/observability.ts';
import { idempotencyTable, platformTable } from '../tables.ts';
import { LocalGateway } from './apigateway/gateway.ts';
import { LocalAwsEndpoint } from './aws/aws-endpoint.ts';
import { LOCAL_SCHEDULE_GROUP } from './aws/constants.ts';
import { devRoutes } from './dev/dev-routes.ts';
import { Faults, faultCatalogue } from './dev/faults.ts';
import { createTable, localDynamoClient, startDynamoDbLocal } from './dynamodb/dynamodb-local.ts';
import { LocalStreamPoller } from './dynamodb/streams.ts';
import { applyTwinEnvironment, localTableNames } from './environment.ts';
import { LocalEventBus } from './eventbridge/event-bus.ts';
import { kmsOperations } from './kms/kms.ts';
import { LocalFunctions } from './lambda/functions.ts';
import { LocalScheduler } from './scheduler/scheduler.ts';
import { secretsManagerOperations } from './secretsmanager/secrets-manager.ts';
import { sesOperations } from './ses/ses.ts';
import { sfnOperations } from './stepfunctions/api.ts';
import { type LocalWorkflow, loadWorkflows } from './stepfunctions/definitions.ts';
import { LocalExecutions, type TaskInvoker } from './stepfunctions/executions.ts';
import { TaskFaults } from './stepfunctions/task-invoker.ts';
import { StripeFake } from './stripe/stripe-fake.ts';

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
   * Publish Powertools metrics as EMF lines on stdout (default false: dropped). The Metrics
   * instance reads POWERTOOLS_METRICS_DISABLED when `lambdas/lib/observability.ts` is first
   * imported, so a process that imported it earlier must set the variable before that import too.
   */
  readonly metrics?: boolean;
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
  /**
   * Run something other than the sources: `npm run rehearse` passes a synthesized cloud assembly's
   * bundled functions and rendered state machines (infra/local/assembly/).
   */
  readonly source?: TwinSource;
}

/** What the twin has started when a source prepares its functions and state machines. */
export interface TwinBase {
  readonly dynamoEndpoint: string;
  readonly awsEndpoint: string;
  readonly stripeApiBase: string;
  readonly tables: { readonly platform: string; readonly idempotency: string };
  readonly adminToken: string;
  readonly timeScale: number;
  readonly stripeTimeoutMs: number;
  readonly lambdaTimeoutFactor: number;
}

/** The parts a source replaces. */
export interface TwinSourceParts {
  readonly functions: LocalFunctions;
  readonly workflows: LocalWorkflow[];
  readonly kmsKeyIds: readonly string[];
  /** Secret ARN → value, served by the Secrets Manager stand-in. */
  readonly secrets: ReadonlyMap<string, string>;
  readonly scheduleGroup: string;
  readonly busNames: Readonly<Record<EventBusKey, string>>;
  /** Throws (as the Task would fail) when the state machine may not invoke the function. */
  checkTask(stateMachineArn: string, functionName: string): void;
  stop(): Promise<void>;
}

export interface TwinSource {
  prepare(base: TwinBase): Promise<TwinSourceParts>;
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
  const fileWorkflows = loadWorkflows(timeScale);
  // A fault naming no Task state, target or mode refuses the start (before anything runs).
  const faults = new Faults(
    options.faults,
    faultCatalogue(fileWorkflows.flatMap((workflow) => [...workflow.tasks.keys()])),
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
  const stripeTimeoutMs = options.stripeTimeoutMs ?? STRIPE_TIMEOUT_MS;
  const logLevel = options.logLevel ?? 'INFO';
  applyTwinEnvironment({
    dynamoEndpoint: dynamo.endpoint,
    awsEndpoint,
    tablePrefix,
    adminToken,
    logLevel,
    metrics: options.metrics ?? false,
    stripeApiBase,
    stripeTimeoutMs,
    timeScale,
  });
  // The process's one Logger was built when this module's imports loaded, possibly under another
  // POWERTOOLS_LOG_LEVEL (a test runner's): the handlers log at the twin's level.
  logger.setLogLevel(logLevel as Parameters<typeof logger.setLogLevel>[0]);

  const tables = localTableNames(tablePrefix);
  const client = localDynamoClient(dynamo.endpoint);
  await createTable(client, platformTable, tables.platform);
  await createTable(client, idempotencyTable, tables.idempotency);
  client.destroy();

  const source = await options.source?.prepare({
    dynamoEndpoint: dynamo.endpoint,
    awsEndpoint,
    stripeApiBase,
    tables,
    adminToken,
    timeScale,
    stripeTimeoutMs,
    lambdaTimeoutFactor: options.lambdaTimeoutFactor ?? 1,
  });
  const functions = source?.functions ?? new LocalFunctions([], options.lambdaTimeoutFactor);
  const invoke = (name: string, event: unknown) => functions.invoke(name, event);
  setSinkFault((mail) => faults.take('mail', 'fail', [mail.to]));
  // A rehearsal runs the definitions rendered from the template; their Task states are the same.
  const workflows = source?.workflows ?? fileWorkflows;
  const timeouts = new Map<string, number>();
  for (const workflow of workflows)
    for (const [state, ms] of Object.entries(workflow.timeouts))
      timeouts.set(state, Math.min(ms, timeouts.get(state) ?? ms));
  const taskFaults = new TaskFaults(faults, invoke, (state) => timeouts.get(state) ?? 250);
  const invokeTask: TaskInvoker = source
    ? (state, fn, input, machine) => {
        source.checkTask(machine ?? '', fn);
        return taskFaults.invoker(state, fn, input);
      }
    : taskFaults.invoker;
  const executions = new LocalExecutions(workflows, invokeTask, () => taskFaults.idle());
  const eventBus = new LocalEventBus({ invoke, ...(source && { busNames: source.busNames }) });
  const scheduleGroup = source?.scheduleGroup ?? LOCAL_SCHEDULE_GROUP;
  const scheduler = new LocalScheduler(invoke, {
    groups: [scheduleGroup],
    timers: options.schedulerTimers ?? true,
  });
  aws.addRest(...scheduler.operations());
  aws.addJson(sfnOperations(executions));
  aws.addJson(kmsOperations(source?.kmsKeyIds));
  aws.addJson(secretsManagerOperations(source?.secrets ?? new Map()));
  aws.addRest(...sesOperations());
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
    devRoutes({ faults, payments, scheduler, scheduleGroup }),
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
      await source?.stop();
      taskFaults.uninstall();
      setSinkFault(undefined);
      await payments.close();
      await aws.close();
      await dynamo.stop();
      running = false;
    },
  };
};
