import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
afterEach(() => {
  t.twin.faults.set('');
  receiver.answers = [];
});

/** An active project whose webhook points at the test receiver; returns its id and secret. */
const hooked = async (eventTypes?: string[]) => {
  const { projectId } = await seedProject(t, undefined, 'active');
  const put = await t.api.put(`/projects/${projectId}/webhook`, {
    url: receiver.url,
    ...(eventTypes ? { eventTypes } : {}),
  });
  expect(put.status).toBe(200);
  return { projectId, secret: put.body.secret as string };
};

const postsFor = (eventId: string) =>
  receiver.requests.filter((r) => r.headers['webhook-id'] === eventId);
const delivery = async (projectId: string, eventId: string) =>
  (await t.api.get(`/projects/${projectId}/events/${eventId}`)).body.delivery;

describe('PUT /v1/projects/{projectId}/webhook', () => {
  it('shows the signing secret on the first PUT only, keeps it on later PUTs, and rotates it on request', async () => {
    const { projectId, secret } = await hooked();
    const again = await t.api.put(`/projects/${projectId}/webhook`, {
      url: receiver.url,
      eventTypes: ['a.b'],
    });
    const rotated = await t.api.put(`/projects/${projectId}/webhook`, {
      url: receiver.url,
      rotateSecret: true,
    });

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(again.body).toEqual({
      url: receiver.url,
      eventTypes: ['a.b'],
      secretVersion: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    expect(rotated.body.secretVersion).toBe(2);
    const stored = JSON.stringify(await t.scan('platform'));
    expect(stored).not.toContain(secret.slice(6));
    expect(stored).not.toContain(rotated.body.secret.slice(6));
  });

  it.each([
    ['a private address', 'http://10.0.0.1/hook'],
    ['the metadata service', 'https://169.254.169.254/latest'],
    ['a unique-local IPv6 address', 'https://[fd00::1]/hook'],
    ['ftp', 'ftp://example.com/hook'],
    ['a malformed URL', 'not a url'],
  ])('refuses %s with 400 webhook_url_invalid and stores nothing', async (_, url) => {
    const { projectId } = await seedProject(t, undefined, 'active');
    const response = await t.api.put(`/projects/${projectId}/webhook`, { url });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('webhook_url_invalid');
    expect(
      (await t.scan('platform')).filter(
        (i) => i.pk === `PROJECT#${projectId}` && i.sk === 'WEBHOOK',
      ),
    ).toEqual([]);
  });
});

describe('PUT …/webhook in AWS mode (no loopback exception)', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'https://127.0.0.1/hook',
    'http://10.0.0.1',
    'https://169.254.169.254',
    'ftp://example.com',
    'http//broken',
  ])('refuses %s with 400', async (url) => {
    const { projectId } = await seedProject(t, undefined, 'active');
    const { makeHandler } = await import('../../lambdas/http/put-webhook.ts');
    const { endpointsFromEnv } = await import('../../lambdas/lib/wiring/webhook-endpoints.ts');
    const { secretsFromEnv } = await import('../../lambdas/lib/adapters/kms-secrets.ts');
    const { lambdaContext } = await import('../../infra/local/lambda/lambda-context.ts');
    const awsMode = makeHandler({
      endpoints: endpointsFromEnv(),
      secrets: secretsFromEnv(),
      urlPolicy: { allowLoopback: false },
      now: () => new Date(),
      idempotency: async (call) => call.execute(),
    });
    const response = await awsMode(
      {
        httpMethod: 'PUT',
        path: `/projects/${projectId}/webhook`,
        headers: { 'Content-Type': 'application/json' },
        pathParameters: { projectId },
        body: JSON.stringify({ url }),
        requestContext: { authorizer: { role: 'admin' } },
      } as never,
      lambdaContext('PutWebhook'),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).code).toBe('webhook_url_invalid');
  });
});

describe('POST /v1/projects/{projectId}/events → deliver-webhook', () => {
  it('delivers an event posted 20 times concurrently exactly once', async () => {
    const { projectId } = await hooked();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.api.post(`/projects/${projectId}/events`, {
          id: 'order-1',
          type: 'order.paid',
          data: { n: 1 },
        }),
      ),
    );
    await t.idle();

    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    expect(responses.some((r) => r.status === 202 && r.body.id === 'order-1')).toBe(true);
    expect(postsFor('order-1')).toHaveLength(1);
    expect(await delivery(projectId, 'order-1')).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
    });
  });

  it('retries 500s with the same webhook-id and a signature the standardwebhooks package verifies', async () => {
    const { projectId, secret } = await hooked();
    receiver.answers = [500, 500, 500];
    await t.api.post(`/projects/${projectId}/events`, {
      id: 'flaky-1',
      type: 'order.paid',
      data: { total: 42 },
    });
    await t.idle();

    const posts = postsFor('flaky-1');
    expect(posts).toHaveLength(4);
    expect(new Set(posts.map((p) => p.body)).size).toBe(1);
    for (const post of posts) {
      expect(new Webhook(secret).verify(post.body, post.headers as Record<string, string>)).toEqual(
        { id: 'flaky-1', type: 'order.paid', timestamp: expect.any(String), data: { total: 42 } },
      );
    }
    expect(await delivery(projectId, 'flaky-1')).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatusCode: 200,
      deliveredAt: expect.any(String),
    });
  });

  it('assigns an id when none is sent, so two such posts are two events and two deliveries', async () => {
    const { projectId } = await hooked();
    const one = await t.api.post(`/projects/${projectId}/events`, {
      type: 'user.joined',
      data: {},
    });
    const two = await t.api.post(`/projects/${projectId}/events`, {
      type: 'user.joined',
      data: {},
    });
    await t.idle();

    expect(one.body.id).toMatch(/^evt_[a-z2-7]{24}$/);
    expect(two.body.id).not.toBe(one.body.id);
    expect(postsFor(one.body.id)).toHaveLength(1);
    expect(postsFor(two.body.id)).toHaveLength(1);
  });

  it('gives a retried POST without id (same Idempotency-Key) the same event, delivered once', async () => {
    const { projectId } = await hooked();
    const first = await t.api.post(
      `/projects/${projectId}/events`,
      { type: 'user.left', data: {} },
      { key: 'retry-me' },
    );
    const again = await t.api.post(
      `/projects/${projectId}/events`,
      { type: 'user.left', data: {} },
      { key: 'retry-me' },
    );
    await t.idle();

    expect(again.text).toBe(first.text);
    expect(postsFor(first.body.id)).toHaveLength(1);
  });

  it('refuses the same event id with other data (422) and delivers only the first', async () => {
    const { projectId } = await hooked();
    await t.api.post(
      `/projects/${projectId}/events`,
      { id: 'same-id', type: 't.x', data: { v: 1 } },
      { key: 'k1' },
    );
    const other = await t.api.post(
      `/projects/${projectId}/events`,
      { id: 'same-id', type: 't.x', data: { v: 2 } },
      { key: 'k2' },
    );
    await t.idle();

    expect(other.status).toBe(422);
    expect(postsFor('same-id')).toHaveLength(1);
  });

  it('records but does not deliver events without a webhook, or outside its event types', async () => {
    const { projectId: bare } = await seedProject(t, undefined, 'active');
    const { projectId: picky } = await hooked(['wanted.type']);
    await t.api.post(`/projects/${bare}/events`, { id: 'no-hook', type: 'a.b', data: {} });
    await t.api.post(`/projects/${picky}/events`, { id: 'unwanted', type: 'other.type', data: {} });
    await t.idle();

    expect(await delivery(bare, 'no-hook')).toEqual({ status: 'skipped', attempts: 0 });
    expect(await delivery(picky, 'unwanted')).toEqual({ status: 'skipped', attempts: 0 });
    expect(postsFor('no-hook')).toEqual([]);
    expect(postsFor('unwanted')).toEqual([]);
  });

  it('marks the delivery failed once every retry is used up', async () => {
    const { projectId } = await hooked();
    receiver.answers = Array.from({ length: 20 }, () => 503);
    await t.api.post(`/projects/${projectId}/events`, { id: 'doomed', type: 'a.b', data: {} });
    await t.idle();

    expect(postsFor('doomed')).toHaveLength(7);
    expect(await delivery(projectId, 'doomed')).toMatchObject({
      status: 'failed',
      attempts: 7,
      lastStatusCode: 503,
    });
  });

  it('survives webhook:fail faults and still delivers once', async () => {
    const { projectId } = await hooked();
    t.twin.faults.set('webhook:fail:2');
    await t.api.post(`/projects/${projectId}/events`, { id: 'faulty', type: 'a.b', data: {} });
    await t.idle();

    expect(postsFor('faulty')).toHaveLength(1);
    expect(await delivery(projectId, 'faulty')).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('puts every accepted event on the events bus for activities', async () => {
    const { projectId } = await hooked();
    await t.api.post(`/projects/${projectId}/events`, {
      id: 'on-bus',
      type: 'a.b',
      data: { x: 1 },
    });

    const put = await eventually(async () =>
      t.twin.eventBus.log().find((entry) => JSON.stringify(entry).includes('on-bus')),
    );
    expect(JSON.stringify(put)).toContain(projectId);
  });

  it('answers 404 for an unknown event and 409 for events on a project that is not active', async () => {
    const { projectId } = await hooked();
    const { projectId: provisioning } = await seedProject(t);
    expect((await t.api.get(`/projects/${projectId}/events/nope`)).status).toBe(404);
    expect(
      (await t.api.post(`/projects/${provisioning}/events`, { type: 'a.b', data: {} })).status,
    ).toBe(409);
  });
});
