import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

/**
 * Names of the environment variables the runtime reads. CDK sets them through the function
 * construct's grants; the twin sets them before it imports a handler. One list, so the two agree.
 */
export const ENV = {
  platformTable: 'PLATFORM_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  adminToken: 'ADMIN_TOKEN',
  adminTokenSecretArn: 'ADMIN_TOKEN_SECRET_ARN',
  /** Optional HMAC key for pagination cursors; without it the key is derived from the admin token. */
  cursorSigningKey: 'CURSOR_SIGNING_KEY',
  mailFrom: 'MAIL_FROM',
  mailTransport: 'MAIL_TRANSPORT',
  /** The Stripe secret key itself (`sk_…`); the twin sets it. */
  stripeSecretKey: 'STRIPE_SECRET_KEY',
  /** Secrets Manager secret holding the Stripe key; used in AWS, wins over the key. */
  stripeSecretArn: 'STRIPE_SECRET_ARN',
  /** An http(s) origin to use instead of api.stripe.com (the twin's fake). */
  stripeApiBase: 'STRIPE_API_BASE',
  /** Per-attempt Stripe timeout in ms; the twin shortens it to stay under its fake's hold. */
  stripeTimeoutMs: 'STRIPE_TIMEOUT_MS',
  /** SDK retries per provider call (default 1); the twin uses 0 to keep fault tests fast. */
  stripeMaxNetworkRetries: 'STRIPE_MAX_NETWORK_RETRIES',
  /** The KMS key (id, ARN or alias) that seals stored secrets (webhook signing secrets). */
  secretsKeyId: 'SECRETS_KEY_ID',
  /** `true` in the twin only: webhook receivers on loopback (and plain http to them). */
  webhookAllowLoopback: 'WEBHOOK_ALLOW_LOOPBACK',
  /** Name of the EventBridge bus project events go on. */
  eventBusName: 'EVENT_BUS_NAME',
  /** EventBridge Scheduler group that holds the activities' schedules. */
  scheduleGroupName: 'SCHEDULE_GROUP_NAME',
  /** Role EventBridge Scheduler assumes to invoke the dispatcher. */
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  /** The dispatcher function every schedule targets. */
  scheduleTargetArn: 'SCHEDULE_TARGET_ARN',
  /** Dead-letter queue for fires the dispatcher never accepted. */
  scheduleDlqArn: 'SCHEDULE_DLQ_ARN',
  /** Factor applied to leases (1 in AWS; the twin's smaller one matches its scaled retry waits). */
  timeScale: 'RETRYSAFE_TIME_SCALE',
} as const;

/** Reads a required variable; throws at cold start when it is missing (fail fast). */
export const requireEnv = (key: string): string => getStringFromEnv({ key });

/** Reads an optional variable. */
export const optionalEnv = (key: string): string | undefined => {
  const value = process.env[key];
  return value === undefined || value === '' ? undefined : value;
};
