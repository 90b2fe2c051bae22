import { cpSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ENV } from '../../../lambdas/lib/config.ts';
import { type EventBusKey, eventBuses } from '../../../lambdas/lib/event-rules.ts';
import { LOCAL_REGION, localFunctionArn } from '../aws/constants.ts';
import { localWorkflow } from '../stepfunctions/definitions.ts';
import type { TwinBase, TwinSource, TwinSourceParts } from '../twin.ts';
import { constructIdOf, readAssembly, resourcesOfType, type Template } from './assembly.ts';
import { type BundledFunction, BundledFunctions } from './bundled-functions.ts';
import { AccessLog, type Principal, startIamProxy } from './iam-proxy.ts';
import { twinResources } from './resources.ts';
import type { AssemblyFunction } from './stack-model.ts';
import { stackModel } from './stack-model.ts';

/** The Stripe key the twin's fake accepts; the rehearsal stores it in the stack's Stripe secret. */
const TWIN_STRIPE_KEY = 'sk_test_retrysafe_twin';

export interface RehearsalOptions {
  /** A `cdk synth -o DIR` output. */
  readonly assembly: string;
  /** Use this template instead of the assembly's (a test removes a grant from a copy). */
  readonly template?: Template;
  /**
   * Where the functions' own output (logs, EMF) goes. Its directory (outside any node_modules
   * tree) also receives a copy of each function's asset, which runs from there.
   */
  readonly logFile: string;
  /** Start each function's sandbox on its first invocation (default: all before serving). */
  readonly lazy?: boolean;
}

/** A twin source that runs a synthesized assembly, with every AWS call checked against IAM. */
export interface Rehearsal extends TwinSource {
  readonly access: AccessLog;
  /** Functions and state machines started (after `prepare`). */
  readonly counts: { functions: number; stateMachines: number };
}

/** What Lambda itself sets in every sandbox (the subset a Node handler can notice). */
const lambdaVariables = (fn: AssemblyFunction, accessKeyId: string): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
  AWS_LAMBDA_FUNCTION_NAME: fn.name,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
  AWS_LAMBDA_LOG_STREAM_NAME: 'rehearsal',
  AWS_ACCESS_KEY_ID: accessKeyId,
  AWS_SECRET_ACCESS_KEY: 'rehearsal',
  AWS_SESSION_TOKEN: 'rehearsal',
  LAMBDA_TASK_ROOT: dirname(fn.module),
  _HANDLER: `index.${fn.exportName}`,
  TZ: ':UTC',
});

/**
 * The only variables the rehearsal adds to the template's: where the twin's stand-ins are (AWS
 * through the IAM proxy, Stripe's fake), what makes a local tour possible (a loopback webhook
 * receiver, the twin's time scale), and no X-Ray daemon to trace to. Everything else a function
 * reads comes from the template, so a variable CDK forgot to set fails here as it would in AWS.
 */
const twinOverlay = (base: TwinBase, proxyUrl: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: proxyUrl,
  [ENV.stripeApiBase]: base.stripeApiBase,
  [ENV.stripeTimeoutMs]: String(base.stripeTimeoutMs),
  [ENV.stripeMaxNetworkRetries]: '0',
  [ENV.webhookAllowLoopback]: 'true',
  [ENV.timeScale]: String(base.timeScale),
  POWERTOOLS_TRACE_ENABLED: 'false',
});

/** Names of the variables `twinOverlay` sets, for docs and tests. */
export const OVERLAY_VARIABLES = [
  'AWS_ENDPOINT_URL',
  ENV.stripeApiBase,
  ENV.stripeTimeoutMs,
  ENV.stripeMaxNetworkRetries,
  ENV.webhookAllowLoopback,
  ENV.timeScale,
  'POWERTOOLS_TRACE_ENABLED',
] as const;

/** A task that IAM refused: Step Functions reports Lambda's AccessDeniedException this way. */
export class TaskAccessDenied extends Error {
  constructor(message: string) {
    super(`${message} (Service: Lambda, Status Code: 403, Error Code: AccessDeniedException)`);
    this.name = 'Lambda.AWSLambdaException';
  }
}

/**
 * Copies a function's asset into the rehearsal's own directory and returns its module there. An
 * assembly cached inside the repository would otherwise resolve a bare import the bundle left out
 * from the repository's node_modules, which Lambda does not have.
 */
const sandboxModule = (root: string, fn: AssemblyFunction): string => {
  for (let dir = root; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'node_modules')))
      throw new Error(`${dir} has node_modules; a sandbox there could import what Lambda lacks`);
  const directory = join(root, 'functions', fn.name);
  cpSync(dirname(fn.module), directory, { recursive: true });
  return join(directory, basename(fn.module));
};

export const rehearsalSource = (options: RehearsalOptions): Rehearsal => {
  const access = new AccessLog();
  const counts = { functions: 0, stateMachines: 0 };
  return {
    access,
    counts,
    prepare: async (base: TwinBase): Promise<TwinSourceParts> => {
      const assembly = readAssembly(options.assembly, options.template);
      const lookup = twinResources(assembly, { tables: base.tables });
      const model = stackModel(assembly, lookup);
      const principals = new Map<string, Principal>();
      // DynamoDB Local accepts access key ids of letters and digits only.
      const keyOf = (name: string) => `REHEARSAL${name.replace(/[^A-Za-z0-9]/g, '')}`;
      for (const fn of model.functions) principals.set(keyOf(fn.name), fn);
      const proxy = await startIamProxy({
        principals,
        upstreams: { dynamodb: base.dynamoEndpoint, '*': base.awsEndpoint },
        log: access,
      });
      const overlay = twinOverlay(base, proxy.url);
      const bundled: BundledFunction[] = model.functions.map((fn) => ({
        name: fn.name,
        module: sandboxModule(dirname(options.logFile), fn),
        exportName: fn.exportName,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        environment: { ...lambdaVariables(fn, keyOf(fn.name)), ...fn.environment, ...overlay },
      }));
      const functions = new BundledFunctions(
        bundled,
        localFunctionArn,
        options.logFile,
        base.lambdaTimeoutFactor,
        options.lazy,
      );
      const machines = new Map(
        model.stateMachines.map((machine) => [
          localWorkflow(machine.name, machine.definition, base.timeScale),
          machine,
        ]),
      );
      counts.functions = bundled.length;
      counts.stateMachines = machines.size;
      const resource = (type: string, id: string) => {
        const found = resourcesOfType(assembly.template, type).find(
          ([, r]) => constructIdOf(r) === id,
        );
        return found ? lookup(found[0]) : undefined;
      };
      const secrets = new Map<string, string>();
      const adminSecret = resource('AWS::SecretsManager::Secret', 'AdminToken');
      const stripeSecret = resource('AWS::SecretsManager::Secret', 'StripeSecretKey');
      if (adminSecret) secrets.set(adminSecret.ref, base.adminToken);
      if (stripeSecret) secrets.set(stripeSecret.ref, TWIN_STRIPE_KEY);
      const busNames = Object.fromEntries(
        Object.entries(eventBuses).map(([key, bus]) => [
          key,
          resource('AWS::Events::EventBus', bus.id)?.ref ?? key,
        ]),
      ) as Record<EventBusKey, string>;
      const [group] = resourcesOfType(assembly.template, 'AWS::Scheduler::ScheduleGroup');
      return {
        functions,
        workflows: [...machines.keys()],
        kmsKeyIds: resourcesOfType(assembly.template, 'AWS::KMS::Key').map(
          ([id]) => lookup(id)?.attributes?.Arn ?? id,
        ),
        secrets,
        scheduleGroup: group ? (lookup(group[0])?.ref ?? 'default') : 'default',
        busNames,
        checkTask: (stateMachineArn, functionName) => {
          const machine = [...machines].find(([workflow]) => workflow.arn === stateMachineArn)?.[1];
          if (!machine) throw new TaskAccessDenied(`No state machine ${stateMachineArn}`);
          const denial = access.check(machine, [
            { action: 'lambda:InvokeFunction', resource: localFunctionArn(functionName) },
          ]);
          if (denial) throw new TaskAccessDenied(denial.message);
        },
        stop: async () => {
          await functions.stop();
          await proxy.close();
        },
      };
    },
  };
};
