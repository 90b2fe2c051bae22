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
  mailFrom: 'MAIL_FROM',
  mailTransport: 'MAIL_TRANSPORT',
} as const;

/** Reads a required variable; throws at cold start when it is missing (fail fast). */
export const requireEnv = (key: string): string => getStringFromEnv({ key });

/** Reads an optional variable. */
export const optionalEnv = (key: string): string | undefined => {
  const value = process.env[key];
  return value === undefined || value === '' ? undefined : value;
};
