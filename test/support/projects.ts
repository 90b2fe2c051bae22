import { expect } from 'vitest';
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
