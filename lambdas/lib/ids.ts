import { createHash } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lowercase RFC 4648 base32 (no padding) of some bytes. */
export const base32 = (bytes: Uint8Array): string => {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
};

/** A stable id of `length` base32 characters derived from the parts (joined with NUL). */
export const derivedId = (length: number, ...parts: string[]): string =>
  base32(createHash('sha256').update(parts.join('\0')).digest()).slice(0, length);

/**
 * The project id for a provisioning request: derived from (caller, Idempotency-Key), so the same
 * request always names the same project — even after the idempotency record has expired.
 */
export const projectIdFor = (caller: string, idempotencyKey: string): string =>
  `prj_${derivedId(26, 'provision', caller, idempotencyKey)}`;

/** The shape of a project id; the API's schemas name it, so the OpenAPI document shows it. */
export const PROJECT_ID = /^prj_[a-z2-7]{26}$/;

/** True when the string has the shape of a project id. */
export const isProjectId = (value: string): boolean => PROJECT_ID.test(value);

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** An Idempotency-Key: 1–255 printable ASCII characters (docs/api.md). */
export const isValidIdempotencyKey = (value: string): boolean => IDEMPOTENCY_KEY.test(value);

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * A Step Functions execution name for a logical id: `{prefix}-{logicalId}` when that is already
 * safe (≤ 80 chars of `[A-Za-z0-9_-]`), otherwise a readable prefix of it plus a hash of the whole
 * logical id, so two different logical ids never share a name. The logical id itself belongs in
 * the execution input and the run record.
 */
export const executionName = (prefix: string, logicalId: string): string => {
  const plain = `${prefix}-${logicalId}`;
  if (EXECUTION_NAME.test(plain)) return plain;
  const hash = derivedId(16, logicalId);
  const room = 80 - prefix.length - hash.length - 2;
  const readable = logicalId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, Math.max(0, room));
  return `${prefix}-${readable}-${hash}`;
};
