import { describe, expect, it } from 'vitest';
import type { RequestOptions } from '../support/api.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

const valid = { name: 'Valid', ownerEmail: 'owner@example.com' };

/** Sends a request and checks: 4xx problem+json with the code, and no item in either table. */
const expectRejected = async (
  send: () => Promise<{
    status: number;
    headers: Headers;
    body: { code?: string; status?: number };
  }>,
  status: number,
  code: string,
) => {
  const before = [(await t.scan('platform')).length, (await t.scan('idempotency')).length];
  const response = await send();
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({
    type: `https://retrysafe.dev/problems/${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
  await t.idle();
  expect([(await t.scan('platform')).length, (await t.scan('idempotency')).length]).toEqual(before);
};

const post =
  (body: unknown, options: RequestOptions = {}) =>
  () =>
    t.api.post('/projects', body, options);

describe('bad input gets a 4xx problem+json and changes nothing', () => {
  it('refuses malformed JSON with 400 malformed_json', () =>
    expectRejected(
      post(undefined, { raw: '{"name": ', headers: { 'Content-Type': 'application/json' } }),
      400,
      'malformed_json',
    ));

  it('refuses a non-JSON content type with 415', () =>
    expectRejected(
      post(undefined, {
        raw: 'name=x',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    ));

  it('refuses a body over 64 KiB with 413', () =>
    expectRejected(post({ ...valid, name: 'x'.repeat(65 * 1024) }), 413, 'payload_too_large'));

  it.each([
    ['a missing name', { ownerEmail: 'owner@example.com' }],
    ['a blank name', { ...valid, name: '   ' }],
    ['an invalid e-mail', { ...valid, ownerEmail: 'not-an-email' }],
    ['an unknown plan', { ...valid, plan: 'platinum' }],
    ['an unknown field', { ...valid, colour: 'blue' }],
    ['a JSON array', [valid]],
    ['JSON null', null],
  ])('refuses %s with 400 validation_failed naming the field', async (_, body) => {
    await expectRejected(post(body), 400, 'validation_failed');
    const response = await t.api.post('/projects', body);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: expect.any(String), message: expect.any(String) }),
      ]),
    );
  });

  it('answers an unknown route with 404 not_found', () =>
    expectRejected(() => t.api.get('/nowhere'), 404, 'not_found'));

  it('answers a known path with an unrouted method with 404, as API Gateway does', () =>
    expectRejected(() => t.api.request('PATCH', '/projects', valid), 404, 'not_found'));

  it('answers a path outside /v1 with 404', async () => {
    const response = await fetch(t.twin.url.replace('/v1', '/v2/projects'));
    expect(response.status).toBe(404);
  });

  it('answers a missing token with 401 unauthorized', () =>
    expectRejected(post(valid, { token: null }), 401, 'unauthorized'));

  it('answers a wrong token with 401 unauthorized', () =>
    expectRejected(post(valid, { token: 'wrong' }), 401, 'unauthorized'));

  it('answers a malformed project id with 400 invalid_path_parameter', () =>
    expectRejected(() => t.api.get('/projects/not-a-project'), 400, 'invalid_path_parameter'));

  it('answers an unknown, well-formed project id with 404', () =>
    expectRejected(() => t.api.get(`/projects/prj_${'a'.repeat(26)}`), 404, 'not_found'));

  it('serves health to anyone, without a token', async () => {
    const response = await t.api.get('/health', { token: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('keeps the dev routes behind the admin token', () =>
    expectRejected(() => t.api.get('/_dev/mail', { token: null }), 401, 'unauthorized'));
});
