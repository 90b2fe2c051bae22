import { beforeAll, describe, expect, it } from 'vitest';
import { hostileClient, nested } from '../support/hostile-client.ts';
import { activeProject, newKey } from '../support/projects.ts';
import { useTwin } from '../support/twin.ts';

/**
 * Hostile bytes, headers, queries and ids, end to end through the twin's gateway and handlers:
 * bodies that are not UTF-8, prototype-named headers, duplicate headers, bodies on routes that
 * take none, what Node's parser refuses, undecodable paths, odd limits, cursors, ids and numbers.
 * Each refusal is a problem+json 4xx that writes nothing and leaves the twin serving.
 */

const t = useTwin();
const { raw, bytesOf, exchange, expectRefused } = hostileClient(t);
let projectId: string;

beforeAll(async () => {
  projectId = await activeProject(t, 'HostileBytes');
});

describe('bytes and headers', () => {
  const auth = () => `Authorization: Bearer ${t.twin.adminToken}`;
  const eventBody = (data: Buffer) =>
    Buffer.concat([Buffer.from('{"type":"bytes","data":"'), data, Buffer.from('"}')]);
  /** POSTs an event with exactly these header lines and body bytes. */
  const postEvent = (headers: string[], body: Buffer) =>
    exchange(bytesOf(`POST /v1/projects/${projectId}/events HTTP/1.1`, headers, body));

  it.each([
    ['0xFF', [0xff]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['latin-1 é', [0xe9]],
  ])('refuses a body with %s, which is not UTF-8, instead of storing U+FFFD', (_, bytes) =>
    expectRefused(
      () =>
        postEvent(
          [auth(), 'Content-Type: application/json'],
          eventBody(Buffer.from([0x41, ...bytes, 0x5a])),
        ),
      400,
      'malformed_json',
    ),
  );

  it('refuses a charset other than UTF-8 with 415', () =>
    expectRefused(
      () =>
        postEvent(
          [auth(), 'Content-Type: application/json; charset=iso-8859-1'],
          eventBody(Buffer.from('Caf\u00e9', 'latin1')),
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
        postEvent(
          [
            ...(headers.includes('AUTH') ? [] : [auth()]),
            ...headers.map((h) => (h === 'AUTH' ? auth() : h)),
            ...(headers.some((h) => h.startsWith('Content-Type'))
              ? []
              : ['Content-Type: application/json']),
          ],
          Buffer.from('{"type":"twice","data":1}'),
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
