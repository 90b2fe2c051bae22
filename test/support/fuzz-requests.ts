import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { RouteDefinition } from '#lib/http/route-definition.ts';
import { routes } from '../../lambdas/http/routes.ts';

/** A request as the fuzz sends it: raw path, raw header pairs (duplicates allowed), raw body. */
export interface FuzzRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: readonly [string, string][];
  readonly body?: string;
}

/** The ids and tokens of the fixture the generated requests aim at. */
export interface FuzzTargets {
  readonly projectId: string;
  readonly doomedProjectId: string;
  readonly keyId: string;
  readonly projectKey: string;
  readonly adminToken: string;
  readonly cursor: string;
  /** A webhook receiver that answers 200, which a valid PUT /webhook points the project at. */
  readonly webhookUrl: string;
}

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

/** Strings a hostile client tries in text fields, ids and headers. */
const hostileString = fc.oneof(
  fc.constantFrom(
    'a\r\nBcc: x@evil.test',
    '\u202eevil',
    'x\u0000y',
    '\ud800',
    '\udfff\ud800',
    '\ufeff{}',
    '',
    ' ',
    '__proto__',
    'constructor',
    '%',
    '%zz',
    '%ED%A0%80',
    '../..',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 3000, maxLength: 70_000 }).map((s) => s.slice(0, 70_000)),
);

/** JSON text no parser should choke on: deep, prototype/empty/duplicate keys, odd numbers. */
export const hostileJsonText = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((d) => `${'['.repeat(d)}1${']'.repeat(d)}`),
  fc.integer({ min: 1, max: 70 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":1},"toString":2,"hasOwnProperty":3}',
    '{"":1,"":2}',
    '{"a":1,"a":2}',
    '[1e400,-1e400,1e-400,123456789012345678901234567890,-0,0.1]',
    '"\\ud800\\udc00\\ud800"',
    '"\\u0000\\u202e"',
    '{"k":"é東京☕"}',
    'null',
  ),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
);

const pathValue = (param: string, route: RouteDefinition, targets: FuzzTargets) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(wellFormed(param, route, targets)) },
    { weight: 1, arbitrary: hostileString.map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ED%A0%80', '%C0%AF', 'prj_%00') },
    {
      weight: 1,
      arbitrary: fc
        .nat()
        .map((i) => tamper(wellFormed(param, route, targets), i))
        .map(percentEncode),
    },
  );

const wellFormed = (param: string, route: RouteDefinition, t: FuzzTargets): string =>
  ({
    projectId: route.name === 'DeleteProject' ? t.doomedProjectId : t.projectId,
    keyId: t.keyId,
    orderId: 'order-1',
    eventId: 'evt-1',
    activityId: '4f0c2b1e-8a5d-4c1e-9a43-1b2c3d4e5f60',
  })[param] ?? param;

/**
 * Percent-encodes any string, lone surrogates included: `encodeURIComponent` throws on those, so
 * a lone surrogate is sent as the three bytes a lax encoder would write (e.g. `%ED%A0%80`), which
 * is exactly the kind of path a hostile client sends.
 */
export const percentEncode = (value: string): string =>
  Array.from(value, (char) => {
    const unit = char.charCodeAt(0);
    if (char.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(char);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join('');
  }).join('');

/** Changes one character of a value (a tampered id or cursor). */
export const tamper = (value: string, at: number): string => {
  if (value === '') return 'x';
  const i = at % value.length;
  return `${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`;
};

/** Bodies: valid, one field bent, client JSON made hostile, raw garbage. */
const bodyOf = (route: RouteDefinition, t: FuzzTargets) => {
  const valid = validBodies(t)[route.name];
  if (!valid) return fc.constantFrom(undefined, '', '{}', 'x');
  const fields = Object.keys(valid);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(JSON.stringify(valid)) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields, 'extra'), fc.oneof(hostileString, fc.jsonValue()))
        .map(([field, value]) => JSON.stringify({ ...valid, [field]: value })),
    },
    {
      weight: route.name === 'PostEvents' ? 6 : 1,
      arbitrary: hostileJsonText.map((data) => `{"type":"fuzz.event","data":${data}}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '\ufeff{}',
        '[]',
        'null',
        '1e999',
        '{"__proto__":{"name":"x"}}',
        JSON.stringify(valid).replace('{', '{"name":"dup",'),
      ),
    },
    { weight: 1, arbitrary: hostileJsonText },
  );
};

/** Headers: the Idempotency-Key in all its forms, odd Authorization, content types. */
const headersOf = (_route: RouteDefinition, t: FuzzTargets) =>
  fc
    .record({
      // Half the requests carry a valid token, so most of them get past the authorizer.
      token: fc.constantFrom(
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
                fc.constantFrom('""', '"a', '"a"b"', '"a\\"b"', '"x";p=1', 'x'.repeat(256)),
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
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'application/problem+json',
        'text/plain',
        'multipart/form-data; boundary=x',
        '',
      ),
    })
    .map(({ token, keys, contentType }) => {
      const headers: [string, string][] = [...keys];
      if (token !== '') headers.push(['Authorization', token]);
      if (contentType !== '') headers.push(['Content-Type', contentType]);
      return headers;
    });

const queryOf = (route: RouteDefinition, t: FuzzTargets) =>
  route.name !== 'GetAudit'
    ? fc.constantFrom('', '?x=1')
    : fc.oneof(
        fc.constant(`?limit=1&cursor=${t.cursor}`),
        fc.nat().map((i) => `?limit=1&cursor=${encodeURIComponent(tamper(t.cursor, i))}`),
        fc.constantFrom('?limit=0', '?limit=abc', '?cursor=', '?cursor=%zz', '?limit=1e9'),
        hostileString.map((s) => `?cursor=${percentEncode(s.slice(0, 3000))}`),
      );

/** Requests for every route of the route table: valid, near-valid and hostile. */
export const fuzzRequest = (t: FuzzTargets): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...(routes as readonly RouteDefinition[])).chain((route) => {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    return fc
      .record({
        params: fc.tuple(...names.map((n) => pathValue(n, route, t))),
        body: route.method === 'GET' ? fc.constant(undefined) : bodyOf(route, t),
        headers: headersOf(route, t),
        query: queryOf(route, t),
      })
      .map(({ params, body, headers, query }) => {
        let i = 0;
        const path = route.path.replace(/\{\w+\}/g, () => params[i++] as string);
        return {
          route: route.name,
          method: route.method,
          path: `/v1${path}${query}`,
          headers,
          ...(body !== undefined ? { body } : {}),
        };
      });
  });

/**
 * Sends a request byte for byte (fetch would normalize the path and merge duplicate headers).
 * Headers given as a raw list get no Host header from Node, and an HTTP/1.1 request without one
 * is refused by the server's parser (a bare 400) before the gateway sees it; so Host is set here,
 * as every real client sets it.
 */
export const send = (
  origin: URL,
  r: FuzzRequest,
): Promise<{ status: number; contentType: string; text: string }> =>
  new Promise((resolve, reject) => {
    const flat = [['Host', origin.host], ...r.headers].flat();
    const req = httpRequest(
      {
        host: origin.hostname,
        port: origin.port,
        method: r.method,
        path: r.path,
        headers:
          r.body !== undefined
            ? [...flat, 'Content-Length', String(Buffer.byteLength(r.body))]
            : flat,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });

/** The request as a curl command line, to replay a shrunk failure by hand. */
export const asCurl = (origin: URL, r: FuzzRequest): string => {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl', '-sS', '-i', '--path-as-is', '-X', r.method];
  for (const [name, value] of r.headers) parts.push('-H', quote(`${name}: ${value}`));
  if (r.body !== undefined) parts.push('--data-binary', quote(r.body));
  parts.push(quote(`${origin.origin}${r.path}`));
  return parts.join(' ');
};
