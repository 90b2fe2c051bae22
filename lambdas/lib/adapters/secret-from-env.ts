import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { optionalEnv } from '../config.ts';

/** Seconds a secret is cached after a Secrets Manager read. */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A secret as handlers read it: from Secrets Manager, cached for five minutes, when `arnKey` is
 * set (AWS); otherwise the plain value of `valueKey` (the twin). Neither set fails at cold start;
 * an empty secret fails the call that reads it.
 */
export const secretFromEnv = (
  arnKey: string,
  valueKey: string,
  what: string,
): (() => Promise<string>) => {
  const secretArn = optionalEnv(arnKey);
  if (!secretArn) {
    const value = optionalEnv(valueKey);
    if (!value) throw new Error(`Neither ${valueKey} nor ${arnKey} is set`);
    return async () => value;
  }
  return async () => {
    const value = await getSecret<string>(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS });
    if (!value) throw new Error(`The ${what} secret is empty`);
    return value;
  };
};
