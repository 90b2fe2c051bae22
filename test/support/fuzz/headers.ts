import fc from 'fast-check';
import type { FuzzTargets } from './types.ts';
import { prototypeName, tamper } from './values.ts';

/**
 * Request headers for the fuzz: tokens in odd forms, Idempotency-Key in all its spellings,
 * duplicated Authorization and Content-Type, encodings, Expect, and prototype-named headers.
 */

/** One Authorization header or none: half of them a valid token, a third the admin token. */
const singleToken = (t: FuzzTargets) =>
  fc.constantFrom(
    `Bearer ${t.adminToken}`,
    `Bearer ${t.adminToken}`,
    `Bearer ${t.adminToken}`,
    `Bearer ${t.adminToken}`,
    `Bearer ${t.projectKey}`,
    `Bearer ${t.projectKey}`,
    `bearer ${t.adminToken}`,
    `Bearer  ${t.adminToken}`,
    `Basic ${t.adminToken}`,
    'Bearer rsk_key_x_y',
    `Bearer ${tamper(t.projectKey, 20)}`,
    '',
  );

/**
 * Headers a hostile client adds to any request: now and then a prototype name as a header name,
 * `Content-Encoding: gzip` on a plain body, or an `Expect` (`100-continue` or one no server
 * knows).
 */
const oddHeaders = fc.oneof(
  { weight: 14, arbitrary: fc.constant([] as [string, string][]) },
  {
    weight: 2,
    arbitrary: fc.array(fc.tuple(prototypeName, fc.constantFrom('1', '', 'x')), {
      minLength: 1,
      maxLength: 3,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<[string, string][]>(
      [['Content-Encoding', 'gzip']],
      [['Expect', '100-continue']],
      [['Expect', '200-ok']],
      [
        ['Content-Encoding', 'gzip'],
        ['Expect', '100-continue'],
      ],
    ),
  },
);

/** Generated headers, and the Content-Type headers to send unless the body brings its own. */
interface HeaderChoice {
  readonly headers: [string, string][];
  readonly contentTypes: readonly string[];
}

/**
 * Headers: one Authorization or two (which one counts must not depend on who looks), the
 * Idempotency-Key in all its forms, one Content-Type or two, and the odd headers.
 */
export const headersOf = (t: FuzzTargets): fc.Arbitrary<HeaderChoice> =>
  fc
    .record({
      tokens: fc.oneof(
        {
          weight: 20,
          arbitrary: singleToken(t).map((token): string[] => (token === '' ? [] : [token])),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom<string[]>(
            [`Bearer ${t.adminToken}`, `Bearer ${t.projectKey}`],
            [`Bearer ${t.projectKey}`, `Bearer ${t.adminToken}`],
            [`Bearer ${t.adminToken}`, `Bearer ${t.adminToken}`],
            [`Bearer ${t.adminToken}`, 'Bearer rsk_key_x_y'],
            ['Bearer rsk_key_x_y', `Bearer ${t.adminToken}`],
          ),
        },
      ),
      keys: fc.oneof(
        { weight: 4, arbitrary: fc.constant([] as [string, string][]) },
        {
          weight: 2,
          arbitrary: fc.uuid().map((k) => [['Idempotency-Key', k]] as [string, string][]),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.constantFrom('Idempotency-Key', 'idempotency-key', 'IDEMPOTENCY-KEY'),
              fc.oneof(
                fc.uuid().map((k) => `"${k}"`),
                fc.constantFrom(
                  '""',
                  '"a',
                  '"a"b"',
                  '"a\\"b"',
                  '"x";p=1',
                  'x'.repeat(256),
                  'p;x=1',
                  'c, d',
                  '" s1 "',
                  '   ',
                  '"a", "b"',
                ),
                fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
              ),
            )
            .map(([name, value]) => [[name, value]] as [string, string][]),
        },
        {
          weight: 1,
          arbitrary: fc.uuid().map(
            (k) =>
              [
                ['Idempotency-Key', k],
                ['idempotency-key', k],
              ] as [string, string][],
          ),
        },
      ),
      contentTypes: fc.oneof(
        {
          weight: 10,
          arbitrary: fc.constantFrom<readonly string[]>(
            ['application/json'],
            ['application/json'],
            ['application/json'],
            ['application/json; charset=utf-8'],
            ['application/json; charset=iso-8859-1'],
            ['application/json; charset=utf-16'],
            ['application/problem+json'],
            ['text/plain'],
            ['multipart/form-data; boundary=x'],
            [],
          ),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom<readonly string[]>(
            ['text/plain', 'application/json'],
            ['application/json', 'text/plain'],
            ['application/json', 'application/json'],
          ),
        },
      ),
      extra: oddHeaders,
    })
    .map(({ tokens, keys, contentTypes, extra }) => ({
      contentTypes,
      headers: [
        ...keys,
        ...tokens.map((token): [string, string] => ['Authorization', token]),
        ...extra,
      ],
    }));

/**
 * Headers of a request meant to reach its handler: the admin token, `application/json`, a fresh
 * Idempotency-Key or none — and the odd headers, which then meet the handler too.
 */
export const cleanHeadersOf = (t: FuzzTargets): fc.Arbitrary<HeaderChoice> =>
  fc.record({ key: fc.option(fc.uuid()), extra: oddHeaders }).map(({ key, extra }) => ({
    contentTypes: ['application/json'],
    headers: [
      ...(key === null ? [] : [['Idempotency-Key', key] as [string, string]]),
      ['Authorization', `Bearer ${t.adminToken}`],
      ...extra,
    ],
  }));
