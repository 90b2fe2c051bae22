import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { eventually } from './api.ts';
import type { TestTwin } from './twin.ts';

/** Provisions a project through the API and waits for the saga; returns its id. */
export const activeProject = async (t: TestTwin, name: string): Promise<string> => {
  const created = await t.api.post('/projects', {
    name,
    ownerEmail: `${name.toLowerCase()}@example.com`,
  });
  expect(created.status).toBe(202);
  await t.idle();
  return created.body.id as string;
};

/** Creates a key through the API (admin) and returns `{ id, secret }`. */
export const newKey = async (
  t: TestTwin,
  projectId: string,
  key?: string,
): Promise<{ id: string; secret: string }> => {
  const created = await t.api.post(
    `/projects/${projectId}/keys`,
    { name: 'test' },
    key ? { key } : {},
  );
  expect(created.status).toBe(201);
  return { id: created.body.id, secret: created.body.secret };
};

/**
 * A project worth deleting: active (waiting for this project alone, so sagas running beside it
 * don't hold it up), with two API keys and an hourly activity, so it has a schedule.
 */
export const projectToDelete = async (t: TestTwin, name: string): Promise<string> => {
  const created = await t.api.post('/projects', {
    name,
    ownerEmail: `${name.toLowerCase()}@example.com`,
  });
  expect(created.status).toBe(202);
  const projectId = created.body.id as string;
  await eventually(async () =>
    (await t.api.get(`/projects/${projectId}`)).body.status === 'active' ? true : undefined,
  );
  await newKey(t, projectId);
  await newKey(t, projectId);
  const put = await t.api.put(`/projects/${projectId}/activities/${randomUUID()}`, {
    tasks: [{ type: 'noop', count: 1 }],
    schedule: 'rate(1 hour)',
    misfirePolicy: 'skip',
    dedupeKeyStrategy: 'skip',
  });
  expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  return projectId;
};
