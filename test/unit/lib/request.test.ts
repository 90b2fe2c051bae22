import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from '#lib/zod.ts';
import { headerOf, MAX_BODY_BYTES, readJsonBody } from '../../../lambdas/lib/http/request.ts';
import { HttpError } from '../../../lambdas/lib/http/response.ts';

const event = (
  body: string | null,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
  isBase64Encoded = false,
) => ({ body, headers, isBase64Encoded }) as unknown as APIGatewayProxyEvent;

const schema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  size: z.optional(z.int()),
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.problem.code : 'not-an-http-error';
  }
  return undefined;
};

describe('request parsing', () => {
  it('looks headers up without regard to case', () => {
    expect(headerOf(event(null, { 'IDEMPOTENCY-key': 'k' }), 'idempotency-key')).toBe('k');
  });

  it('reads a valid JSON body through the schema', () => {
    expect(readJsonBody(event('{"name":"a","size":2}'), schema)).toEqual({ name: 'a', size: 2 });
  });

  it('accepts a charset parameter and +json media types', () => {
    expect(
      readJsonBody(
        event('{"name":"a"}', { 'content-type': 'application/json; charset=utf-8' }),
        schema,
      ),
    ).toEqual({ name: 'a' });
    expect(
      readJsonBody(
        event('{"name":"a"}', { 'content-type': 'application/merge-patch+json' }),
        schema,
      ),
    ).toEqual({ name: 'a' });
  });

  it('reads an absent body as {}', () => {
    expect(readJsonBody(event(null, {}), z.object({ name: z.optional(z.string()) }))).toEqual({});
  });

  it('decodes a base64 body', () => {
    expect(
      readJsonBody(event(Buffer.from('{"name":"b"}').toString('base64'), undefined, true), schema),
    ).toEqual({ name: 'b' });
  });

  it.each([
    ['a body over 64 KiB', event(`{"name":"${'x'.repeat(MAX_BODY_BYTES)}"}`), 'payload_too_large'],
    ['a missing content type', event('{"name":"a"}', {}), 'unsupported_media_type'],
    [
      'text/plain',
      event('{"name":"a"}', { 'Content-Type': 'text/plain' }),
      'unsupported_media_type',
    ],
    ['malformed JSON', event('{"name":'), 'malformed_json'],
    ['a schema violation', event('{"name":""}'), 'validation_failed'],
    ['an unknown field', event('{"name":"a","x":1}'), 'validation_failed'],
  ])('refuses %s', (_, input, code) => {
    expect(codeOf(() => readJsonBody(input, schema))).toBe(code);
  });

  it('refuses a number with a fraction where numbers are whole, naming it', () => {
    try {
      readJsonBody(event('{"name":"a","size":2.0}'), schema);
      expect.unreachable();
    } catch (error) {
      expect((error as HttpError).problem).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: '(number)', message: expect.stringContaining('2.0') }],
      });
    }
    expect(
      readJsonBody(event('{"name":"a","size":2.0}'), schema, { wholeNumbersOnly: false }),
    ).toEqual({ name: 'a', size: 2 });
  });

  it('lists each schema issue with its path', () => {
    try {
      readJsonBody(event('{"name":"","size":"big"}'), schema);
      expect.unreachable();
    } catch (error) {
      expect((error as HttpError).problem.errors).toEqual([
        { path: 'name', message: expect.any(String) },
        { path: 'size', message: expect.any(String) },
      ]);
    }
  });
});
