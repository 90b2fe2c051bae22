import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberText } from '../../lambdas/lib/http/json-text.ts';
import { eventually } from '../support/api.ts';
import { hostileClient, nested } from '../support/hostile-client.ts';
import { activeProject, newKey } from '../support/projects.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { scanBoth } from '../support/table-snapshot.ts';
import { useTwin } from '../support/twin.ts';

/**
 * Each kind of hostile JSON, text, cursor, path and Idempotency-Key a client can send, end to end
 * through the twin's gateway and handlers: the refusals are problem+json 4xx that write nothing
 * and leave the twin serving, and client-owned JSON reaches the webhook receiver exactly as it
 * was sent. hostile-bytes.test.ts does the same for bytes, headers, queries and ids; the
 * generated fuzz (no-5xx.test.ts) looks for new cases, these pin the known ones.
 */

const t = useTwin();
const { raw, expectRefused, expectUnchanged } = hostileClient(t);
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
