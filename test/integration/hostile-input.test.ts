import { connect } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberText } from '../../lambdas/lib/http/json-text.ts';
import { eventually } from '../support/api.ts';
import type { FuzzRequest } from '../support/fuzz/types.ts';
import { send } from '../support/fuzz/wire.ts';
import { activeProject, newKey } from '../support/projects.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { comparable, type Rows, scanBoth } from '../support/table-snapshot.ts';
import { useTwin } from '../support/twin.ts';

/**
 * Each kind of hostile input a client can send, end to end through the twin's gateway and
 * handlers: the refusals are problem+json 4xx that write nothing and leave the twin serving, and
 * client-owned JSON reaches the webhook receiver exactly as it was sent. The generated fuzz
 * (no-5xx.test.ts) looks for new cases; these pin the known ones.
 */

const t = useTwin();
let receiver: Receiver;
let projectId: string;
let otherProjectId: string;
let projectKey: string;

beforeAll(async () => {
  receiver = await startReceiver();
  projectId = await activeProject(t, 'Hostile');
  otherProjectId = await activeProject(t, 'Bystander');
  const webhook = await t.api.put(`/projects/${projectId}/webhook`, { url: receiver.url });
  expect(webhook.status).toBe(200);
  projectKey = (await newKey(t, projectId)).secret;
});
afterAll(() => receiver?.close());

/** Expects both tables to hold what they held in `before` (clock-driven expiry aside). */
const expectUnchanged = async (before: Rows) => {
  const after = await scanBoth(t);
  const asOf = Date.now();
  expect(comparable(after, asOf)).toBe(comparable(before, asOf));
};

const raw = (
  method: string,
  path: string,
  options: { body?: string; headers?: [string, string][]; token?: string } = {},
): Promise<{ status: number; contentType: string; text: string }> => {
  const request: FuzzRequest = {
    route: 'raw',
    method,
    path: `/v1${path}`,
    headers: [
      ['Authorization', `Bearer ${options.token ?? t.twin.adminToken}`],
      ...(options.body !== undefined
        ? [['Content-Type', 'application/json'] as [string, string]]
        : []),
      ...(options.headers ?? []),
    ],
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
  return send(new URL(t.twin.url), request);
};

/**
 * Sends bytes exactly as given on a fresh connection (`Connection: close` is up to the caller) and
 * returns the status, content type and body of the answer.
 */
const exchange = (bytes: Buffer): Promise<{ status: number; contentType: string; text: string }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(t.twin.url);
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks);
      const split = answer.indexOf('\r\n\r\n');
      const head = answer.subarray(0, split).toString('latin1');
      const rest = answer.subarray(split + 4);
      const body = /^transfer-encoding: *chunked/im.test(head) ? unchunked(rest) : rest;
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        contentType: /^content-type: *(.*)$/im.exec(head)?.[1]?.trim() ?? '',
        text: body.toString('utf8'),
      });
    });
  });

/** A chunked body's data: each chunk is its size in hex, CRLF, the bytes, CRLF; size 0 ends. */
const unchunked = (body: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
};

/** A request as bytes: request line, headers (Host first, Connection: close last), body. */
const bytesOf = (line: string, headers: string[], body: Buffer = Buffer.alloc(0)): Buffer => {
  const { host } = new URL(t.twin.url);
  const head = [
    line,
    `Host: ${host}`,
    ...headers,
    `Content-Length: ${body.length}`,
    'Connection: close',
  ];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
};

/** Sends, expects a problem+json refusal with `code`, and that neither table changed. */
const expectRefused = async (
  request: () => Promise<{ status: number; contentType: string; text: string }>,
  status: number,
  code: string,
) => {
  const before = await scanBoth(t);
  const response = await request();
  expect(response.status, response.text).toBe(status);
  expect(response.contentType).toBe('application/problem+json');
  expect(JSON.parse(response.text)).toMatchObject({ status, code, title: expect.any(String) });
  expect((await t.api.get('/health')).status).toBe(200);
  await expectUnchanged(before);
};

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** POSTs an event with `dataText` as its data and returns what the receiver got as data. */
const delivered = async (dataText: string): Promise<string> => {
  const response = await raw('POST', `/projects/${projectId}/events`, {
    body: `{"type":"hostile.data","data":${dataText}}`,
  });
  expect(response.status, response.text).toBe(202);
  const { id } = JSON.parse(response.text) as { id: string };
  const delivery = await eventually(async () =>
    receiver.requests.find((r) => r.headers['webhook-id'] === id),
  );
  const stored = (await t.scan('platform')).find((row) => row.sk === `EVENT#${id}`);
  expect(stored?.dataJson).toBe(memberText(`{"data":${dataText}}`, 'data'));
  return memberText(delivery.body, 'data') ?? '';
};

describe('JSON depth', () => {
  it('refuses a 10 KB deeply nested array in event data with json_too_deep, and keeps serving', () =>
    expectRefused(
      () =>
        raw('POST', `/projects/${projectId}/events`, {
          body: `{"type":"deep","data":${nested(5000)}}`,
        }),
      400,
      'json_too_deep',
    ));

  it('refuses nesting of 65 levels in every body, and takes 64', async () => {
    await expectRefused(
      () =>
        raw('POST', `/projects/${projectId}/events`, { body: `{"type":"d","data":${nested(64)}}` }),
      400,
      'json_too_deep',
    );
    await expectRefused(
      () => raw('POST', '/projects', { body: `{"name":${nested(64)}}` }),
      400,
      'json_too_deep',
    );
    // The body is level 1, so its data may nest 63 more.
    expect(await delivered(nested(63))).toBe(nested(63));
  });
});

describe('client JSON is delivered as sent', () => {
  it.each([
    [
      'prototype keys',
      '{"__proto__":{"polluted":true},"constructor":{"prototype":1},"toString":2}',
    ],
    ['empty and duplicate keys', '{"":1,"a":{"":[]},"a":2}'],
    ['numbers beyond float range', '[1e400,-1e400,1e-400,123456789012345678901234567890,-0,0.1]'],
    ['unicode and escapes', '{"k":"é東京☕😀","e":"\\u0000\\u202e\\ud800","q":"\\"\\\\"}'],
    ['a bare string', '"just text"'],
    ['null', 'null'],
  ])('%s', async (_, dataText) => {
    const got = await delivered(dataText);
    expect(got).toBe(dataText);
    expect(isDeepStrictEqual(JSON.parse(got), JSON.parse(dataText))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps whitespace-insensitive equality: spaces outside strings go, inside stay', async () => {
    expect(await delivered('{ "a" : [ 1 , " x y " ] }')).toBe('{"a":[1," x y "]}');
  });
});

describe('text fields', () => {
  it.each([
    ['CR/LF', 'Acme\r\nBcc: victim@example.com'],
    ['a bidi override', 'Acme\u202egnp.exe'],
    ['NUL', 'Acme\u0000'],
    ['an unpaired surrogate', 'Acme\ud800'],
  ])('refuses a project name with %s and sends no mail', async (_, name) => {
    const mailsBefore = (await t.api.get('/_dev/mail')).body;
    await expectRefused(
      () =>
        raw('POST', '/projects', {
          body: JSON.stringify({ name, ownerEmail: 'owner@example.com' }),
        }),
      400,
      'validation_failed',
    );
    expect((await t.api.get('/_dev/mail')).body).toEqual(mailsBefore);
  });

  it('stores a name exactly as sent', async () => {
    const name = '  Café ☕ 東京 😀  ';
    const created = await t.api.post('/projects', { name, ownerEmail: 'exact@example.com' });
    expect(created.status).toBe(202);
    expect((await t.api.get(`/projects/${created.body.id}`)).body.name).toBe(name);
    await t.idle();
  });
});

describe('stored as sent', () => {
  it('keeps a webhook URL as the client wrote it, and refuses a repeated event type', async () => {
    const url = `${receiver.url.replace('http://', 'HTTP://')}/../hook?q=%7e`;
    const put = await t.api.put(`/projects/${otherProjectId}/webhook`, {
      url,
      eventTypes: ['a.b', 'c.d'],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ url, eventTypes: ['a.b', 'c.d'] });
    await expectRefused(
      () =>
        raw('PUT', `/projects/${otherProjectId}/webhook`, {
          body: JSON.stringify({ url, eventTypes: ['a.b', 'a.b'] }),
        }),
      400,
      'validation_failed',
    );
  });
});

describe('cursors', () => {
  const auditPage = (project: string, query: string, token?: string) =>
    raw('GET', `/projects/${project}/audit${query}`, token ? { token } : {});

  it('refuses an altered, forged or borrowed cursor, for the admin and for a project key', async () => {
    const first = JSON.parse((await auditPage(projectId, '?limit=1')).text) as {
      nextCursor: string;
    };
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await auditPage(projectId, `?limit=1&cursor=${first.nextCursor}`)).status).toBe(200);
    const cursor = first.nextCursor;
    const altered = [
      `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`,
      `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`,
      cursor.slice(0, -4),
      `c1.${Buffer.from('{"pk":"PROJECT#x","sk":"AUDIT#"}').toString('base64url')}.AAAA`,
      'not-a-cursor',
    ];
    for (const bad of altered) {
      for (const token of [t.twin.adminToken, projectKey]) {
        await expectRefused(
          () => auditPage(projectId, `?cursor=${encodeURIComponent(bad)}`, token),
          400,
          'invalid_cursor',
        );
      }
    }
    // A cursor of one project's list means nothing on another's.
    await expectRefused(
      () => auditPage(otherProjectId, `?cursor=${encodeURIComponent(cursor)}`),
      400,
      'invalid_cursor',
    );
  });
});

describe('paths', () => {
  it.each(['%zz', '%', '%ED%A0%80', '%C0%AF', 'prj_%FF'])(
    'answers a path segment %s that cannot be percent-decoded with 400',
    (segment) => expectRefused(() => raw('GET', `/projects/${segment}`), 400, 'invalid_path'),
  );
});

describe('Idempotency-Key', () => {
  const body = JSON.stringify({ name: 'Keyed', ownerEmail: 'keyed@example.com' });
  const postWith = (headers: [string, string][]) => raw('POST', '/projects', { body, headers });

  it('reads "abc" and abc as the same key: the second is a replay', async () => {
    const first = await postWith([['Idempotency-Key', '"sf-key-1"']]);
    expect(first.status).toBe(202);
    await t.idle();
    const before = await scanBoth(t);
    const second = await postWith([['idempotency-key', 'sf-key-1']]);
    expect(second.status).toBe(202);
    expect(second.text).toBe(first.text);
    await expectUnchanged(before);
  });

  it.each([
    [
      'two headers',
      [
        ['Idempotency-Key', 'k-2'],
        ['Idempotency-Key', 'k-2'],
      ],
    ],
    [
      'two spellings',
      [
        ['Idempotency-Key', 'k-3'],
        ['IDEMPOTENCY-KEY', 'k-4'],
      ],
    ],
    ['a joined list', [['Idempotency-Key', 'k-5, k-6']]],
    ['a parameter', [['Idempotency-Key', '"k-7";p=1']]],
    ['an unclosed quote', [['Idempotency-Key', '"k-8']]],
    ['256 characters', [['Idempotency-Key', 'k'.repeat(256)]]],
  ] as [string, [string, string][]][])('refuses %s with idempotency_key_invalid', (_, headers) =>
    expectRefused(() => postWith(headers), 400, 'idempotency_key_invalid'),
  );
});

describe('bytes and headers', () => {
  const auth = () => `Authorization: Bearer ${t.twin.adminToken}`;
  const eventBody = (data: Buffer) =>
    Buffer.concat([Buffer.from('{"type":"bytes","data":"'), data, Buffer.from('"}')]);

  it.each([
    ['0xFF', [0xff]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['latin-1 é', [0xe9]],
  ])('refuses a body with %s, which is not UTF-8, instead of storing U+FFFD', (_, bytes) =>
    expectRefused(
      () =>
        exchange(
          bytesOf(
            `POST /v1/projects/${projectId}/events HTTP/1.1`,
            [auth(), 'Content-Type: application/json'],
            eventBody(Buffer.from([0x41, ...bytes, 0x5a])),
          ),
        ),
      400,
      'malformed_json',
    ),
  );

  it('refuses a charset other than UTF-8 with 415', () =>
    expectRefused(
      () =>
        exchange(
          bytesOf(
            `POST /v1/projects/${projectId}/events HTTP/1.1`,
            [auth(), 'Content-Type: application/json; charset=iso-8859-1'],
            eventBody(Buffer.from('Caf\u00e9', 'latin1')),
          ),
        ),
      415,
      'unsupported_media_type',
    ));

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'treats a header or query parameter named %s like any other',
    async (name) => {
      const health = await exchange(bytesOf(`GET /v1/health?${name}=1 HTTP/1.1`, [`${name}: 1`]));
      expect(health.status, health.text).toBe(200);
      await expectRefused(
        () =>
          exchange(
            bytesOf(`GET /v1/projects/${projectId}/audit?${name}=1 HTTP/1.1`, [
              auth(),
              `${name}: 1`,
            ]),
          ),
        400,
        'invalid_query_parameter',
      );
    },
  );

  it.each([
    ['two Authorization headers', ['AUTH', 'AUTH'], 400, 'bad_request'],
    [
      'two Content-Type headers',
      ['Content-Type: text/plain', 'Content-Type: application/json'],
      400,
      'bad_request',
    ],
    [
      'a Content-Encoding nothing decodes',
      ['Content-Encoding: gzip'],
      415,
      'unsupported_media_type',
    ],
  ] as [string, string[], number, string][])('refuses %s', (_, headers, status, code) =>
    expectRefused(
      () =>
        exchange(
          bytesOf(
            `POST /v1/projects/${projectId}/events HTTP/1.1`,
            [
              ...(headers.includes('AUTH') ? [] : [auth()]),
              ...headers.map((h) => (h === 'AUTH' ? auth() : h)),
              ...(headers.some((h) => h.startsWith('Content-Type'))
                ? []
                : ['Content-Type: application/json']),
            ],
            Buffer.from('{"type":"twice","data":1}'),
          ),
        ),
      status,
      code,
    ),
  );

  it('refuses a body on a route that takes none, and does not act', async () => {
    const key = await newKey(t, projectId);
    for (const [type, body] of [
      ['application/json', '{}'],
      ['text/plain', 'hello'],
      ['application/json', nested(200)],
    ]) {
      await expectRefused(
        () =>
          exchange(
            bytesOf(
              `DELETE /v1/projects/${projectId}/keys/${key.id} HTTP/1.1`,
              [auth(), `Content-Type: ${type}`],
              Buffer.from(body as string),
            ),
          ),
        400,
        'bad_request',
      );
    }
    const keys = (await t.api.get(`/projects/${projectId}/keys`)).body.keys as {
      id: string;
      revokedAt: string | null;
    }[];
    expect(keys.find((k) => k.id === key.id)?.revokedAt).toBeNull();
  });

  it('answers what Node parses no further with problem+json, and a request without Host normally', async () => {
    const noHost = await exchange(
      Buffer.from('GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n'),
    );
    expect(noHost.status).toBe(200);
    const expect200 = await exchange(bytesOf('GET /v1/health HTTP/1.1', ['Expect: 200-ok']));
    expect(expect200.status).toBe(200);
    for (const bytes of [
      Buffer.from('get /v1/health HTTP/1.1\r\n\r\n'),
      Buffer.from(`GET /v1/health HTTP/1.1\r\nX-Bad: a\u0001b\r\n\r\n`),
      Buffer.from('CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n'),
      bytesOf('GET /v1/health HTTP/1.1', [`X-Big: ${'x'.repeat(20_000)}`]),
    ]) {
      const answer = await exchange(bytes);
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.contentType).toBe('application/problem+json');
      expect(JSON.parse(answer.text)).toMatchObject({
        detail: expect.any(String),
        code: expect.any(String),
      });
    }
  });

  it('answers an undecodable path outside any parameter with 400', async () => {
    for (const path of ['/v1/%zz', '/v1/health%zz', '/v1/%ED%A0%80/x']) {
      const answer = await exchange(bytesOf(`GET ${path} HTTP/1.1`, []));
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'invalid_path' });
    }
  });
});

describe('query and ids', () => {
  it.each(['0x10', '0b11', '1e1', '%2B5', '%205', '0', '101'])('refuses limit=%s', (limit) =>
    expectRefused(
      () => raw('GET', `/projects/${projectId}/audit?limit=${limit}`),
      400,
      'invalid_query_parameter',
    ),
  );

  it.each(['', '%00', '%0A', 'c1.%E2%80%AE.x', 'c'.repeat(3000)])(
    'answers cursor=%s with invalid_cursor',
    (cursor) =>
      expectRefused(
        () => raw('GET', `/projects/${projectId}/audit?cursor=${cursor}`),
        400,
        'invalid_cursor',
      ),
  );

  it.each(['99999999.0000000001', '0.99999999999999999999e2', '100.0', '1e2'])(
    'refuses a charge amount written %s, which is whole only after rounding',
    (amount) =>
      expectRefused(
        () =>
          raw('POST', `/projects/${projectId}/orders/fraction-1/charge`, {
            body: `{"amount":${amount},"currency":"eur","customerId":"cus_1"}`,
          }),
        400,
        'validation_failed',
      ),
  );

  it.each(['.', '..'])('refuses event id %j, which no URL could name again', (id) =>
    expectRefused(
      () =>
        raw('POST', `/projects/${projectId}/events`, {
          body: JSON.stringify({ type: 't', data: {}, id }),
        }),
      400,
      'validation_failed',
    ),
  );

  it('reads a percent-encoded spelling of a path as the same request: a replay, not a 422', async () => {
    const body = JSON.stringify({ name: 'spelled' });
    const headers: [string, string][] = [['Idempotency-Key', 'spelling-1']];
    const first = await raw('POST', `/projects/${projectId}/keys`, { body, headers });
    expect(first.status, first.text).toBe(201);
    const spelled = projectId.replace('prj_', '%70rj_');
    const second = await raw('POST', `/projects/${spelled}/keys`, { body, headers });
    expect(second.status, second.text).toBe(201);
    expect(second.text).toBe(first.text);
  });
});
