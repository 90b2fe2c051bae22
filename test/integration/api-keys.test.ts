import { beforeAll, describe, expect, it, vi } from 'vitest';
import { activeProject, newKey } from '../support/projects.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  projectId = await activeProject(t, 'Keys');
  otherProjectId = await activeProject(t, 'Other');
});

const keysOf = async (id: string) =>
  (await t.api.get(`/projects/${id}/keys`)).body.keys as { id: string; revokedAt: string | null }[];

/**
 * Lets the 5-minute window pass for everyone: the clock moves 301 s ahead, so the stored record
 * is expired both in the table (DynamoDB compares its `expiration` with now) and in the function
 * instance's local cache, which the table alone could not expire. Timers keep running.
 */
const afterTheWindow = async <T>(request: () => Promise<T>): Promise<T> => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 301_000);
  try {
    return await request();
  } finally {
    vi.useRealTimers();
  }
};

describe('API keys', () => {
  it('creates a key with a 256-bit secret shown once, and lists it without secret or hash', async () => {
    const created = await t.api.post(
      `/projects/${projectId}/keys`,
      { name: 'ci' },
      { key: 'create-1' },
    );

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^key_[a-z2-7]{24}$/),
      projectId,
      name: 'ci',
      secret: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(created.body.secret).toMatch(new RegExp(`^rsk_${created.body.id}_[A-Za-z0-9_-]{43}$`));
    const listed = (await keysOf(projectId)).find((k) => k.id === created.body.id);
    expect(listed).toEqual({
      id: created.body.id,
      projectId,
      name: 'ci',
      createdAt: created.body.createdAt,
      revokedAt: null,
    });
    expect(JSON.stringify(await t.scan('platform'))).not.toContain(created.body.secret);
  });

  it('replays the identical secret within the window', async () => {
    const first = await t.api.post(`/projects/${projectId}/keys`, {}, { key: 'replay-key' });
    const again = await t.api.post(`/projects/${projectId}/keys`, {}, { key: 'replay-key' });

    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 409 idempotency_window_expired after the window, and still has one key', async () => {
    const first = await t.api.post(`/projects/${projectId}/keys`, {}, { key: 'late-key' });
    const late = await afterTheWindow(() =>
      t.api.post(`/projects/${projectId}/keys`, {}, { key: 'late-key' }),
    );

    expect(late.status).toBe(409);
    expect(late.body.code).toBe('idempotency_window_expired');
    expect((await keysOf(projectId)).filter((k) => k.id === first.body.id)).toHaveLength(1);
  });

  it('makes one key from 30 concurrent requests with one Idempotency-Key, with no 5xx', async () => {
    const before = (await keysOf(projectId)).length;
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.api.post(`/projects/${projectId}/keys`, { name: 'burst' }, { key: 'burst-1' }),
      ),
    );

    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect((await keysOf(projectId)).length).toBe(before + 1);
  });

  it('gives two projects using the same Idempotency-Key two independent keys', async () => {
    const a = await t.api.post(`/projects/${projectId}/keys`, {}, { key: 'shared-key' });
    const b = await t.api.post(`/projects/${otherProjectId}/keys`, {}, { key: 'shared-key' });

    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body.projectId).toBe(otherProjectId);
  });

  it('lets a key act on its own project, answers 404 for another project and 403 on admin routes', async () => {
    const { secret } = await newKey(t, projectId);

    expect((await t.api.get(`/projects/${projectId}`, { token: secret })).status).toBe(200);
    expect((await t.api.get(`/projects/${otherProjectId}`, { token: secret })).body.code).toBe(
      'not_found',
    );
    expect((await t.api.get(`/projects/${otherProjectId}/keys`, { token: secret })).status).toBe(
      404,
    );
    const admin = await t.api.post(
      '/projects',
      { name: 'Nope', ownerEmail: 'n@example.com' },
      { token: secret },
    );
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('forbidden');
  });

  it('lets a project key create keys for its own project', async () => {
    const { secret } = await newKey(t, projectId);
    const created = await t.api.post(
      `/projects/${projectId}/keys`,
      { name: 'by-key' },
      { token: secret },
    );
    expect(created.status).toBe(201);
  });

  it.each([
    ['a malformed token', 'rsk_nonsense'],
    ['a key-shaped token with a wrong secret', `rsk_key_${'a'.repeat(24)}_${'b'.repeat(43)}`],
  ])('refuses %s with 401', async (_, token) => {
    expect((await t.api.get(`/projects/${projectId}`, { token })).status).toBe(401);
  });

  it('revokes once: a repeat returns the same revokedAt, and the key gets 401 at once', async () => {
    const { id, secret } = await newKey(t, projectId);
    const first = await t.api.delete(`/projects/${projectId}/keys/${id}`);
    const again = await t.api.delete(`/projects/${projectId}/keys/${id}`);

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id, revokedAt: expect.any(String) });
    expect(again.text).toBe(first.text);
    expect((await t.api.get(`/projects/${projectId}`, { token: secret })).status).toBe(401);
  });

  it('answers 404 for an unknown key and for a key of another project, 400 for a malformed id', async () => {
    const foreign = await newKey(t, otherProjectId);
    expect((await t.api.delete(`/projects/${projectId}/keys/key_${'a'.repeat(24)}`)).status).toBe(
      404,
    );
    expect((await t.api.delete(`/projects/${projectId}/keys/${foreign.id}`)).status).toBe(404);
    expect((await t.api.delete(`/projects/${projectId}/keys/not-a-key`)).status).toBe(400);
    expect((await keysOf(otherProjectId)).find((k) => k.id === foreign.id)?.revokedAt).toBeNull();
  });

  it('refuses keys for a project that does not exist', async () => {
    const response = await t.api.post(`/projects/prj_${'b'.repeat(26)}/keys`, {});
    expect(response.status).toBe(404);
  });
});
