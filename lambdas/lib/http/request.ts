import { parse } from '@aws-lambda-powertools/parser';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from '../zod.ts';
import { fractionalNumber, MAX_JSON_DEPTH, nestsDeeperThan } from './json-text.ts';
import { HttpError } from './response.ts';

/** Largest accepted request body (docs/api.md, Limits). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Case-insensitive header lookup; API Gateway keeps the client's spelling of header names. */
export const headerOf = (event: APIGatewayProxyEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
};

/** Every value the client sent under a header name, in any spelling of the name. */
export const headerValues = (event: APIGatewayProxyEvent, name: string): string[] => {
  const wanted = name.toLowerCase();
  const multi = Object.entries(event.multiValueHeaders ?? {}).filter(
    ([key]) => key.toLowerCase() === wanted,
  );
  if (multi.length > 0) return multi.flatMap(([, values]) => values ?? []);
  return Object.entries(event.headers ?? {})
    .filter(([key, value]) => key.toLowerCase() === wanted && value !== undefined)
    .map(([, value]) => value as string);
};

/**
 * `application/json` or a `+json` type, in UTF-8: a `charset` parameter naming anything else
 * would have the body read in an encoding the client did not write it in.
 */
const isJsonContentType = (value: string | undefined): boolean => {
  const [type, ...parameters] = (value ?? '').split(';');
  const mediaType = type?.trim().toLowerCase() ?? '';
  const charsets = parameters
    .map((parameter) => parameter.split('='))
    .filter(([name]) => name?.trim().toLowerCase() === 'charset')
    .map(([, charset]) => (charset ?? '').trim().replace(/^"|"$/g, '').toLowerCase());
  return (
    (mediaType === 'application/json' || mediaType.endsWith('+json')) &&
    charsets.every((charset) => charset === 'utf-8' || charset === 'utf8')
  );
};

/**
 * Headers whose meaning is ambiguous are refused before anything else reads them: a second
 * `Authorization` or `Content-Type` (which one counts differs between hops), and a body in a
 * `Content-Encoding` that nothing here decodes, which would be read as if it were plain.
 */
export const assertPlainHeaders = (event: APIGatewayProxyEvent): void => {
  for (const name of ['Authorization', 'Content-Type']) {
    if (headerValues(event, name).length > 1) {
      throw new HttpError('bad_request', `Send one ${name} header, not several`);
    }
  }
  const encoding = headerOf(event, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new HttpError(
      'unsupported_media_type',
      `Content-Encoding ${encoding} is not accepted; send the body unencoded`,
    );
  }
};

/** The body's bytes (base64 undone); undefined when there is none. */
const bodyBytesOf = (event: APIGatewayProxyEvent): Buffer | undefined => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
};

const assertBodySize = (bytes: Buffer): void => {
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(
      'payload_too_large',
      `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
    );
  }
};

/** A route that takes no body refuses one rather than ignoring it. */
export const assertNoBody = (event: APIGatewayProxyEvent): void => {
  const bytes = bodyBytesOf(event);
  if (bytes === undefined) return;
  assertBodySize(bytes);
  throw new HttpError('bad_request', `${event.httpMethod} ${event.resource} takes no request body`);
};

/** Strict UTF-8: invalid bytes are an error, not U+FFFD, and a BOM stays (and fails the parse). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as text; undefined when there is none. API Gateway hands every body over as base64
 * bytes (the stack's binary media types), and bytes that are not UTF-8 are a 400: decoding them
 * leniently would store and deliver U+FFFD instead of what the client sent.
 */
export const rawBodyOf = (event: APIGatewayProxyEvent): string | undefined => {
  const bytes = bodyBytesOf(event);
  if (bytes === undefined) return undefined;
  if (!event.isBase64Encoded) return event.body as string;
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new HttpError('malformed_json', 'The request body is not valid UTF-8', { cause: error });
  }
};

/**
 * Reads and validates a JSON body: 413 when over 64 KiB, 415 when it is not JSON in UTF-8, 400
 * when it is not UTF-8, nests deeper than 64 levels (checked without recursion, before anything
 * recursive sees it), writes a number with a fraction or exponent where every number is a whole
 * one (all API fields; not client-owned JSON), does not parse or fails the schema. An absent
 * body is read as `{}`, so routes whose fields are all optional accept a bare request.
 */
export const readJsonBody = <S extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  schema: S,
  options: { wholeNumbersOnly?: boolean } = {},
): z.output<S> => {
  const bytes = bodyBytesOf(event);
  if (bytes !== undefined) {
    assertBodySize(bytes);
    if (!isJsonContentType(headerOf(event, 'content-type'))) {
      throw new HttpError('unsupported_media_type', 'Send the body as application/json in UTF-8');
    }
  }
  const raw = rawBodyOf(event);
  if (raw !== undefined && nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new HttpError(
      'json_too_deep',
      `JSON in request bodies may nest at most ${MAX_JSON_DEPTH} levels deep`,
    );
  }
  const fraction =
    raw !== undefined && (options.wholeNumbersOnly ?? true) ? fractionalNumber(raw) : undefined;
  if (fraction !== undefined) {
    const message = `${fraction} has a fraction or an exponent; numbers here are whole, written as digits (100, not 100.0 or 1e2)`;
    throw new HttpError('validation_failed', 'The request body failed validation', {
      extensions: { errors: [{ path: '(number)', message }] },
    });
  }
  let value: unknown = {};
  if (raw !== undefined) {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new HttpError('malformed_json', 'The request body is not valid JSON', { cause: error });
    }
  }
  return validated(value, schema, 'validation_failed', 'The request body failed validation');
};

/** Validates path parameters; a malformed id is a 400, never a lookup. */
export const readPathParams = <S extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> =>
  validated(
    event.pathParameters ?? {},
    schema,
    'invalid_path_parameter',
    'A path parameter is not valid',
  );

/** Validates query string parameters (single values; repeated keys keep the last, as API Gateway does). */
export const readQuery = <S extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> =>
  validated(
    event.queryStringParameters ?? {},
    schema,
    'invalid_query_parameter',
    'A query parameter is not valid',
  );

const validated = <S extends z.ZodMiniType>(
  value: unknown,
  schema: S,
  code: 'validation_failed' | 'invalid_path_parameter' | 'invalid_query_parameter',
  detail: string,
): z.output<S> => {
  const result = parse(value, undefined, schema, true);
  if (result.success) return result.data as z.output<S>;
  throw new HttpError(code, detail, { extensions: { errors: issuesOf(result.error) } });
};

interface Issue {
  path: string;
  message: string;
}

/** Flattens Powertools' ParseError, whose cause is the Standard Schema issue list. */
const issuesOf = (error: Error): Issue[] => {
  const issues = Array.isArray(error.cause) ? (error.cause as StandardIssue[]) : [];
  return issues.map((issue) => ({
    path:
      (issue.path ?? [])
        .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
        .join('.') || '(root)',
    message: issue.message,
  }));
};

interface StandardIssue {
  message: string;
  path?: (PropertyKey | { key: PropertyKey })[];
}
