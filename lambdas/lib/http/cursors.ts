import { createHmac, timingSafeEqual } from 'node:crypto';
import { secretFromEnv } from '../adapters/secret-from-env.ts';
import { ENV, optionalEnv } from '../config.ts';
import { HttpError } from './response.ts';

const invalidCursor = () =>
  new HttpError('invalid_cursor', 'The cursor is not one this API returned for this list');

/** Produces the HMAC key cursors are signed with. */
export type CursorKey = () => Promise<Buffer>;

const PREFIX = 'c1.';

const macOf = (key: Buffer, scope: string, payload: string): Buffer =>
  createHmac('sha256', key).update(`${scope}\n${payload}`).digest();

/**
 * Wraps a store's page token in an opaque, tamper-evident cursor: `c1.{token}.{HMAC}`, the HMAC
 * over the list it belongs to (`scope`, e.g. the project's audit log) and the token. A client can
 * neither edit one nor move one to another project's list.
 */
export const sealCursor = (key: Buffer, scope: string, token: string): string => {
  const payload = Buffer.from(token, 'utf8').toString('base64url');
  return `${PREFIX}${payload}.${macOf(key, scope, payload).toString('base64url')}`;
};

/** The store's page token inside a cursor; throws `invalid_cursor` unless the HMAC checks out. */
export const openCursor = (key: Buffer, scope: string, cursor: string): string => {
  const [payload, mac, ...rest] = cursor.startsWith(PREFIX)
    ? cursor.slice(PREFIX.length).split('.')
    : [];
  if (payload === undefined || mac === undefined || rest.length > 0) throw invalidCursor();
  const given = Buffer.from(mac, 'base64url');
  const expected = macOf(key, scope, payload);
  // base64url decoding ignores stray characters; re-encoding catches a cursor that had some.
  if (
    given.length !== expected.length ||
    given.toString('base64url') !== mac ||
    !timingSafeEqual(given, expected)
  ) {
    throw invalidCursor();
  }
  return Buffer.from(payload, 'base64url').toString('utf8');
};

/** The label that separates the cursor key from anything else derived from the same secret. */
const CURSOR_KEY_LABEL = 'retrysafe cursor signing v1';

/**
 * The cursor key: `CURSOR_SIGNING_KEY` when set; otherwise derived (HMAC with a fixed label) from
 * the admin token — the twin's plain value, or the Secrets Manager secret in AWS — so a deployment
 * needs no extra secret. Rotating that secret invalidates outstanding cursors (clients start the
 * list again); derivation keeps the admin token itself out of every MAC.
 */
export const cursorKeyFromEnv = (): CursorKey => {
  const explicit = optionalEnv(ENV.cursorSigningKey);
  if (explicit) return async () => Buffer.from(explicit, 'utf8');
  const adminToken = secretFromEnv(ENV.adminTokenSecretArn, ENV.adminToken, 'admin token');
  return async () =>
    createHmac('sha256', await adminToken())
      .update(CURSOR_KEY_LABEL)
      .digest();
};
