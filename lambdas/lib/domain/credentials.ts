import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyStore } from '../ports/api-keys.ts';
import { keyIdOfToken, secretHash } from './api-keys.ts';
import type { Caller } from './caller.ts';

/** SHA-256 of a string. */
const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Compares two secrets in constant time. Hashing first gives equal-length inputs, so neither the
 * comparison nor a length check leaks how much of the secret matched.
 */
export const secretsEqual = (given: string, expected: string): boolean =>
  timingSafeEqual(sha256(given), sha256(expected));

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export const bearerToken = (header: string | undefined): string | undefined =>
  /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header?.trim() ?? '')?.[1];

export interface CredentialDeps {
  /** The admin token (Secrets Manager in AWS, `ADMIN_TOKEN` in the twin). */
  readonly adminToken: () => Promise<string>;
  readonly keys: Pick<ApiKeyStore, 'get'>;
}

/**
 * Who a bearer token belongs to; undefined when it belongs to nobody. A project key is looked up
 * by the id inside it and accepted only unrevoked and with a matching hash (constant time).
 */
export const identify = async (
  deps: CredentialDeps,
  token: string | undefined,
): Promise<Caller | undefined> => {
  if (token === undefined) return undefined;
  const keyId = keyIdOfToken(token);
  if (keyId) {
    const key = await deps.keys.get(keyId);
    if (!key || key.revokedAt !== null || !secretsEqual(secretHash(token), key.hash))
      return undefined;
    return { kind: 'project', projectId: key.projectId, keyId };
  }
  if (secretsEqual(token, await deps.adminToken())) return { kind: 'admin' };
  return undefined;
};
