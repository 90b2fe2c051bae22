import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel as EsbuildLogLevel,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Access } from '#lib/access.ts';
import {
  FUNCTION_MEMORY_MB,
  FUNCTION_TIMEOUT_SECONDS,
  type FunctionKind,
} from '../../lambdas/lib/function-settings.ts';
import { type AccessTargets, grantAccess } from './access.ts';
import { fromRepoRoot, repoRoot } from './paths.ts';

/**
 * How every function is bundled: ESM, minified, one file with its source map beside it. One
 * object, so `npm run bench` builds its Powertools baseline with exactly these options.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies still call require(); ESM has none unless we make one.
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
  // Bundle the AWS SDK too: Lambda then runs the exact versions the lockfile pins and the
  // twin and tests run, not whatever the runtime ships this month.
  externalModules: [] as string[],
  forceDockerBundling: false,
  // esbuild's per-bundle size report is noise in `cdk synth`; warnings and errors still show.
  logLevel: EsbuildLogLevel.WARNING,
} satisfies BundlingOptions;

/** Powertools service name and metrics namespace of every function (its custom metrics' home). */
export const POWERTOOLS_SERVICE = 'retrysafe';

/** Powertools Logger levels (`POWERTOOLS_LOG_LEVEL`). */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Settings every function in the stack shares; the stack decides them once. */
export interface SharedFunctionProps {
  readonly targets: AccessTargets;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** One function: its handler module and what it may touch, on top of the shared settings. */
export interface RetrysafeFunctionProps extends SharedFunctionProps {
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** What the function may touch; turned into grants and env vars by `grantAccess`. */
  readonly access: Access;
  /** What invokes it; its timeout comes from `FUNCTION_TIMEOUT_SECONDS` (the twin enforces the same). */
  readonly kind: FunctionKind;
  readonly description?: string;
}

/**
 * Every Lambda function in retrysafe (after Powertools' `FunctionWithLogGroup`): Node.js 22 on
 * arm64, active X-Ray tracing, its own log group with a retention, ESM bundled locally by esbuild
 * (no Docker), Powertools settings, and a role that starts empty — no AWS managed policy — and
 * receives only the log-group write and the grants its `Access` declares.
 */
export class RetrysafeFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RetrysafeFunctionProps) {
    // Role and log group are siblings because they must exist before `super()` runs.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${id}; permissions come only from its entry in the lambdas/ data modules`,
    });
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    super(scope, id, {
      entry: fromRepoRoot(props.entry),
      handler: 'handler',
      ...(props.description && { description: props.description }),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[props.kind]),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      projectRoot: repoRoot,
      depsLockFilePath: fromRepoRoot('package-lock.json'),
      // No NODE_OPTIONS=--enable-source-maps: `npm run bench` measures it on every cold start
      // (Node parses the whole map at import). The .map ships beside the bundle, so setting the
      // variable on one function turns readable stack traces on during an incident, code unchanged.
      environment: {
        POWERTOOLS_SERVICE_NAME: POWERTOOLS_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_SERVICE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      },
      bundling: BUNDLING,
    });
    logGroup.grantWrite(role);
    grantAccess(this, props.access, props.targets);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the xray:PutTraceSegments/PutTelemetryRecords statement that active tracing adds uses Resource "*": X-Ray has no resource-level permissions.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime this service specifies, matching the esbuild target node22; moving to a newer runtime is a deliberate upgrade (Powertools and SDK support, re-testing), not a lint fix.',
    });
  }
}
