import { parse } from '@aws-lambda-powertools/parser';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from '../zod.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-text.ts';
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

const isJsonContentType = (value: string | undefined): boolean => {
  const mediaType = value?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
};

/** The body as text (base64 undone); undefined when there is none. */
export const rawBodyOf = (event: APIGatewayProxyEvent): string | undefined => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

/**
 * Reads and validates a JSON body: 413 when over 64 KiB, 415 when it is not JSON, 400 when it
 * nests deeper than 64 levels (checked without recursion, before anything recursive sees it),
 * does not parse or fails the schema. An absent body is read as `{}`, so routes whose fields are
 * all optional accept a bare request.
 */
export const readJsonBody = <S extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> => {
  const raw = rawBodyOf(event);
  if (raw !== undefined && Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpError(
      'payload_too_large',
      `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
    );
  }
  if (raw !== undefined && !isJsonContentType(headerOf(event, 'content-type'))) {
    throw new HttpError('unsupported_media_type', 'Send the body as application/json');
  }
  if (raw !== undefined && nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new HttpError(
      'json_too_deep',
      `JSON in request bodies may nest at most ${MAX_JSON_DEPTH} levels deep`,
    );
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
