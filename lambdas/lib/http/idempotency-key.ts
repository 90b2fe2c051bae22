import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isValidIdempotencyKey } from '../ids.ts';
import { headerValues } from './request.ts';
import { HttpError } from './response.ts';

/**
 * The key named by an `Idempotency-Key` header value, or undefined when the value is not valid.
 * The IETF draft makes the value a Structured Field string (RFC 8941 §3.3.3): `"abc"` — with `\"`
 * and `\\` as its only escapes — names the same key as the bare `abc` many clients send. A value
 * that starts with a quote must be exactly one valid sf-string (no parameters, nothing after it).
 * A bare value may not hold a comma or a semicolon: HTTP lets any hop join repeated header lines
 * into one, comma-separated (RFC 9110 §5.3), so `a, b` may be two keys, and `p;x=1` reads as a
 * key with a parameter, which the quoted form refuses too; quoted, both are part of the key.
 * Either way the key is 1–255 printable ASCII characters.
 */
export const parseIdempotencyKey = (value: string): string | undefined => {
  const trimmed = value.replace(/^ +| +$/g, '');
  if (!trimmed.startsWith('"') && /[,;]/.test(trimmed)) return undefined;
  const key = trimmed.startsWith('"') ? sfString(trimmed) : trimmed;
  return key !== undefined && isValidIdempotencyKey(key) ? key : undefined;
};

/** Decodes an RFC 8941 sf-string spanning the whole text; undefined when it is not one. */
const sfString = (text: string): string | undefined => {
  let out = '';
  for (let i = 1; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '"' && next !== '\\') return undefined;
      out += next;
      i += 1;
    } else if (c === '"') {
      return i === text.length - 1 ? out : undefined;
    } else if (c < ' ' || c > '~') {
      return undefined;
    } else out += c;
  }
  return undefined;
};

/**
 * The request's idempotency key: the client's, or a fresh UUID when it sent none. More than one
 * `Idempotency-Key` header (in any letter case) is refused — which one the client meant cannot be
 * told, and proxies may reorder them.
 */
export const idempotencyKeyOf = (event: APIGatewayProxyEvent): string => {
  const values = headerValues(event, 'idempotency-key');
  if (values.length === 0) return randomUUID();
  const key = values.length === 1 ? parseIdempotencyKey(values[0] as string) : undefined;
  if (key === undefined) {
    throw new HttpError(
      'idempotency_key_invalid',
      values.length > 1
        ? 'Send one Idempotency-Key header, not several'
        : 'Idempotency-Key must be 1 to 255 printable ASCII characters, bare (without commas or semicolons) or as a quoted Structured Field string',
    );
  }
  return key;
};

/**
 * The key as a header value that names it again: bare when it reads back unchanged, else the
 * quoted Structured Field string (a key with edge spaces, a quote, a comma or a semicolon would
 * otherwise come back as another key, or none).
 */
export const idempotencyKeyHeader = (key: string): string =>
  /^[^ ",;]$|^[^ ",;][^",;]*[^ ",;]$/.test(key) ? key : `"${key.replace(/[\\"]/g, '\\$&')}"`;
