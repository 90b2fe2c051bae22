import { SCHEDULE_TARGET } from '../../lambdas/events/functions.ts';
import { ENV } from '../../lambdas/lib/config.ts';
import { workflows } from '../../lambdas/lib/workflows.ts';
import { idempotencyTable, platformTable } from '../tables.ts';
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  LOCAL_SCHEDULE_GROUP,
  localFunctionArn,
  localStateMachineArn,
} from './aws/constants.ts';
import { LOCAL_CREDENTIALS } from './dynamodb/dynamodb-local.ts';
import { localBusName } from './eventbridge/event-bus.ts';
import { LOCAL_SECRETS_KEY_ID } from './kms/kms.ts';

export interface TwinEnvironment {
  readonly dynamoEndpoint: string;
  readonly awsEndpoint: string;
  readonly tablePrefix: string;
  readonly adminToken: string;
  readonly logLevel: string;
  /** Publish Powertools metrics (EMF lines on stdout) instead of dropping them. */
  readonly metrics?: boolean;
  /** Origin of the twin's Stripe-compatible fake. */
  readonly stripeApiBase: string;
  /** The adapter's per-attempt Stripe timeout (ms); below the fake's hold. */
  readonly stripeTimeoutMs: number;
  /** Factor for leases; the same one scales the ASL retry windows and timeouts in the twin. */
  readonly timeScale: number;
}

/** Local table names: the shared definitions' ids behind a prefix (one set per twin). */
export const localTableNames = (prefix: string) => ({
  platform: `${prefix}${platformTable.id}`,
  idempotency: `${prefix}${idempotencyTable.id}`,
});

/**
 * Sets the variables the handlers read, as the function construct does in AWS — but pointing
 * at the twin: `AWS_ENDPOINT_URL_*` send the real SDK clients to DynamoDB Local and to the
 * twin's AWS endpoint, and fixed local credentials keep them away from any real account.
 * Must run before a handler module is imported (handlers read configuration at cold start).
 */
export const applyTwinEnvironment = (env: TwinEnvironment): void => {
  const tables = localTableNames(env.tablePrefix);
  const values: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamoEndpoint,
    AWS_ENDPOINT_URL_SFN: env.awsEndpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: env.awsEndpoint,
    AWS_ENDPOINT_URL_SCHEDULER: env.awsEndpoint,
    AWS_ENDPOINT_URL_KMS: env.awsEndpoint,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    [ENV.platformTable]: tables.platform,
    [ENV.idempotencyTable]: tables.idempotency,
    [ENV.adminToken]: env.adminToken,
    [ENV.mailTransport]: 'sink',
    [ENV.mailFrom]: 'no-reply@retrysafe.local',
    [ENV.stripeSecretKey]: 'sk_test_retrysafe_twin',
    [ENV.stripeApiBase]: env.stripeApiBase,
    [ENV.stripeTimeoutMs]: String(env.stripeTimeoutMs),
    // Step Functions retries are scaled down in the twin; the SDK's 0.5 s retry delay is not.
    [ENV.stripeMaxNetworkRetries]: '0',
    [ENV.secretsKeyId]: LOCAL_SECRETS_KEY_ID,
    [ENV.timeScale]: String(env.timeScale),
    [ENV.webhookAllowLoopback]: 'true',
    [ENV.eventBusName]: localBusName('events'),
    [ENV.scheduleGroupName]: LOCAL_SCHEDULE_GROUP,
    [ENV.schedulerRoleArn]: `arn:aws:iam::${LOCAL_ACCOUNT}:role/retrysafe-scheduler`,
    [ENV.scheduleTargetArn]: localFunctionArn(SCHEDULE_TARGET),
    [ENV.scheduleDlqArn]: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:retrysafe-schedule-dlq`,
    POWERTOOLS_SERVICE_NAME: 'retrysafe',
    POWERTOOLS_METRICS_NAMESPACE: 'retrysafe',
    POWERTOOLS_METRICS_DISABLED: env.metrics ? 'false' : 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: env.logLevel,
  };
  for (const workflow of Object.values(workflows)) {
    values[workflow.arnEnv] = localStateMachineArn(workflow.name);
  }
  for (const key of [
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    ENV.adminTokenSecretArn,
    ENV.stripeSecretArn,
  ]) {
    delete process.env[key];
  }
  Object.assign(process.env, values);
};
