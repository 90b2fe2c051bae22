import fc from 'fast-check';
import type { RouteDefinition } from '#lib/http/route-definition.ts';
import type { BodyChoice, FuzzTargets } from './types.ts';
import { hostileJsonText, hostileString, notUtf8, roundingAmount } from './values.ts';

/**
 * Request bodies for the fuzz: each route's valid body, one field bent, client JSON made hostile,
 * bytes that are not UTF-8 or not in the declared charset, and bodies on routes that take none.
 */

/** A valid body per mutating route (what each zod body schema accepts), which variants bend. */
const validBodies = (t: FuzzTargets): Record<string, Record<string, unknown>> => ({
  PostProjects: { name: 'Fuzz', ownerEmail: 'fuzz@example.com' },
  PostKeys: { name: 'fuzz' },
  PutWebhook: { url: t.webhookUrl },
  PostEvents: { type: 'order.paid', data: {} },
  PostCharge: { amount: 100, currency: 'eur', customerId: 'cus_1', paymentMethod: 'pm_card_visa' },
  PutActivity: {
    schedule: 'rate(1 hour)',
    misfirePolicy: 'skip',
    dedupeKeyStrategy: 'skip',
    tasks: [{ type: 'noop', count: 1 }],
  },
});

/** JSON text of `valid` with member `field` written as the raw JSON text `raw`. */
const withRawMember = (valid: Record<string, unknown>, field: string, raw: string): string => {
  const marker = '\u0001fuzz-member\u0001';
  return JSON.stringify({ ...valid, [field]: marker }).replace(JSON.stringify(marker), () => raw);
};

/** JSON bytes of `valid` with member `field` a string that holds `bytes` as they are. */
const withBytesIn = (valid: Record<string, unknown>, field: string, bytes: Buffer): Buffer => {
  const [head, tail] = JSON.stringify({ ...valid, [field]: 'a\u0001b' }).split('\\u0001');
  return Buffer.concat([Buffer.from(head ?? ''), bytes, Buffer.from(tail ?? '')]);
};

/** Over 64 KiB, as JSON and as plain text: past the API's body limit. */
const LARGE_JSON = JSON.stringify({ pad: 'x'.repeat(70_000) });
const LARGE_TEXT = 'large text body\n'.repeat(4500);

/**
 * Bodies on routes that take none (GET and DELETE): mostly none, else JSON (deep or not), plain
 * text, or over 64 KiB of either.
 */
const unwantedBody = (t: FuzzTargets): fc.Arbitrary<BodyChoice> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant({}) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('', '{}', 'x', 'null', JSON.stringify(validBodies(t).PostEvents))
        .map((body) => ({ body })),
    },
    { weight: 1, arbitrary: hostileJsonText.map((body) => ({ body })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('hello', 'a=1&b=2', '{"looks":"like json"}')
        .map((body) => ({ body, contentTypes: ['text/plain'] })),
    },
    { weight: 1, arbitrary: fc.constantFrom(LARGE_JSON, LARGE_TEXT).map((body) => ({ body })) },
  );

/** Encodings of a body, each with the Content-Type it is sent under. */
const ENCODINGS: readonly [encode: (text: string) => Buffer, contentType: string][] = [
  [(text) => Buffer.from(text, 'latin1'), 'application/json; charset=iso-8859-1'],
  [(text) => Buffer.from(text, 'latin1'), 'application/json'],
  [(text) => Buffer.from(text, 'utf16le'), 'application/json; charset=utf-16'],
  [(text) => Buffer.from(`\ufeff${text}`, 'utf16le'), 'application/json; charset=utf-16'],
];

/**
 * The valid body with an `é` in one field, in bytes other than UTF-8: latin-1 and UTF-16 (with
 * and without a byte order mark) declared as such, and latin-1 declared as UTF-8; or the plain
 * ASCII body under a charset other than UTF-8.
 */
const charsetBody = (valid: Record<string, unknown>): fc.Arbitrary<BodyChoice> =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...Object.keys(valid)), fc.constantFrom(...ENCODINGS))
      .map(([field, [encode, contentType]]) => {
        const value = valid[field];
        const accented = `${typeof value === 'string' ? value : 'x'}é`;
        return {
          body: encode(JSON.stringify({ ...valid, [field]: accented })),
          contentTypes: [contentType],
        };
      }),
    fc
      .constantFrom(
        'application/json; charset=iso-8859-1',
        'application/json;charset="ISO-8859-1"',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/json; charset=utf-16le',
      )
      .map((contentType) => ({ body: JSON.stringify(valid), contentTypes: [contentType] })),
  );

/**
 * Bodies: valid, one field bent, client JSON made hostile, raw garbage, bytes that are not UTF-8
 * (in a string, or before the JSON), other charsets, and per route what a hostile client tries
 * there: event ids `.` and `..`, charge amounts that only round to integers.
 */
export const bodyOf = (route: RouteDefinition, t: FuzzTargets): fc.Arbitrary<BodyChoice> => {
  const valid = validBodies(t)[route.name];
  if (!valid) return unwantedBody(t);
  const fields = Object.keys(valid);
  const text = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((body) => ({ body }));
  return fc.oneof(
    { weight: 4, arbitrary: text(fc.constant(JSON.stringify(valid))) },
    {
      weight: 3,
      arbitrary: text(
        fc
          .tuple(fc.constantFrom(...fields, 'extra'), fc.oneof(hostileString, fc.jsonValue()))
          .map(([field, value]) => JSON.stringify({ ...valid, [field]: value })),
      ),
    },
    {
      weight: route.name === 'PostEvents' ? 6 : 1,
      arbitrary: text(hostileJsonText.map((data) => `{"type":"fuzz.event","data":${data}}`)),
    },
    {
      weight: 1,
      arbitrary: text(
        fc.constantFrom(
          '{',
          '\ufeff{}',
          '[]',
          'null',
          '1e999',
          '{"__proto__":{"name":"x"}}',
          JSON.stringify(valid).replace('{', '{"name":"dup",'),
        ),
      ),
    },
    { weight: 1, arbitrary: text(hostileJsonText) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields, 'data'), notUtf8, fc.boolean())
        .map(([field, bytes, inString]) => ({
          body: inString
            ? withBytesIn(valid, field, bytes)
            : Buffer.concat([bytes, Buffer.from(JSON.stringify(valid))]),
        })),
    },
    { weight: 1, arbitrary: charsetBody(valid) },
    ...(route.name === 'PostEvents'
      ? [
          {
            weight: 2,
            arbitrary: text(
              fc
                .constantFrom('.', '..', '...', '.:', '_', 'evt-1')
                .map((id) => JSON.stringify({ type: 't', data: {}, id })),
            ),
          },
        ]
      : []),
    ...(route.name === 'PostCharge'
      ? [
          {
            weight: 3,
            arbitrary: text(roundingAmount.map((amount) => withRawMember(valid, 'amount', amount))),
          },
        ]
      : []),
  );
};
