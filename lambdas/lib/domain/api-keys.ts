import { createHash, randomBytes } from 'node:crypto';
import { derivedId } from '../ids.ts';

/** A project API key as stored: the secret itself never is, only its SHA-256. */
export interface ApiKey {
  readonly id: string;
  readonly projectId: string;
  readonly name: string | null;
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** The shape of a key id; the API's schemas name it, so the OpenAPI document shows it. */
export const KEY_ID = /^key_[a-z2-7]{24}$/;
const TOKEN = /^rsk_(key_[a-z2-7]{24})_([A-Za-z0-9_-]{43})$/;

/**
 * The key id for a create-key request: derived from (project, request id), so a retry after the
 * idempotency window finds the key it already made instead of making a second one.
 */
export const keyIdFor = (projectId: string, requestId: string): string =>
  `key_${derivedId(24, 'api-key', projectId, requestId)}`;

export const isKeyId = (value: string): boolean => KEY_ID.test(value);

/** A new secret `rsk_<keyId>_<43 base64url chars = 256 random bits>`. */
export const newSecret = (keyId: string): string =>
  `rsk_${keyId}_${randomBytes(32).toString('base64url')}`;

/** The key id inside a bearer token, if the token has the shape of a project key. */
export const keyIdOfToken = (token: string): string | undefined => TOKEN.exec(token)?.[1];

/** What is stored of a secret: its SHA-256, hex. */
export const secretHash = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

/** The key as `GET …/keys` shows it: no secret, no hash. */
export const keyView = (key: ApiKey) => ({
  id: key.id,
  projectId: key.projectId,
  name: key.name,
  createdAt: key.createdAt,
  revokedAt: key.revokedAt,
});
