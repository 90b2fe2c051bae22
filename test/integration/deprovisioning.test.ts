import { describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { activeProject, newKey } from '../support/projects.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

const deprovisionExecutions = (projectId: string) =>
  t.twin.executions
    .list(localStateMachineArn('deprovision-project'))
    .filter((e) => e.name === `deprovision-${projectId}`);

describe('DELETE /v1/projects/{projectId} → deprovision-project', () => {
  it('revokes every key, drops storage, soft-deletes, and ends deleted — once, however often it is asked', async () => {
    const projectId = await activeProject(t, 'Doomed');
    const keys = [await newKey(t, projectId), await newKey(t, projectId)];

    const first = await t.api.delete(`/projects/${projectId}`, { key: 'delete-1' });
    const again = await t.api.delete(`/projects/${projectId}`, { key: 'delete-1' });
    await t.idle();
    const later = await t.api.delete(`/projects/${projectId}`, { key: 'delete-2' });

    expect(first.status).toBe(202);
    expect(first.body.status).toBe('deleting');
    expect(again.text).toBe(first.text);
    expect(later.status).toBe(202);
    expect(later.body.status).toBe('deleted');
    expect(deprovisionExecutions(projectId).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect((await t.api.get(`/projects/${projectId}`)).body.status).toBe('deleted');
    const listed = (await t.api.get(`/projects/${projectId}/keys`)).body.keys as {
      revokedAt: string | null;
    }[];
    expect(listed.every((k) => k.revokedAt !== null)).toBe(true);
    for (const key of keys)
      expect((await t.api.get(`/projects/${projectId}`, { token: key.secret })).status).toBe(401);
    const tenant = (await t.scan('platform')).filter((item) => item.pk === `TENANT#${projectId}`);
    expect(tenant.map((i) => i.sk)).toEqual(['TENANT']);
    expect(tenant[0]?.deletedAt).toEqual(expect.any(String));
  });

  it('writes the audit log newest first, one entry per operation', async () => {
    const projectId = await activeProject(t, 'Audited');
    const key = await newKey(t, projectId);
    await t.api.delete(`/projects/${projectId}/keys/${key.id}`);
    await t.api.delete(`/projects/${projectId}/keys/${key.id}`);
    await t.api.delete(`/projects/${projectId}`);
    await t.idle();

    const audit = await t.api.get(`/projects/${projectId}/audit`);
    expect(audit.status).toBe(200);
    expect((audit.body.entries as { action: string }[]).map((e) => e.action)).toEqual([
      'project.deleted',
      'project.deletion_requested',
      'key.revoked',
      'key.created',
      'project.provisioned',
    ]);
    expect(audit.body.entries[2]).toMatchObject({ actor: 'admin', details: { keyId: key.id } });
    expect(audit.body.entries[0]).toMatchObject({ actor: 'workflow' });
  });

  it('pages the audit log with an opaque cursor and refuses a forged one', async () => {
    const projectId = await activeProject(t, 'Paged');
    for (let i = 0; i < 3; i += 1) await newKey(t, projectId);

    const first = await t.api.get(`/projects/${projectId}/audit?limit=2`);
    const second = await t.api.get(
      `/projects/${projectId}/audit?limit=2&cursor=${first.body.nextCursor}`,
    );
    const all = await t.api.get(`/projects/${projectId}/audit`);

    expect(first.body.entries).toHaveLength(2);
    expect([...first.body.entries, ...second.body.entries]).toEqual(all.body.entries.slice(0, 4));
    const forged = Buffer.from(
      JSON.stringify({ pk: 'AUDIT#prj_x', sk: 'x', gsi1pk: 'AUDIT#prj_x', gsi1sk: 'x' }),
    ).toString('base64url');
    expect((await t.api.get(`/projects/${projectId}/audit?cursor=${forged}`)).body.code).toBe(
      'invalid_cursor',
    );
    expect((await t.api.get(`/projects/${projectId}/audit?limit=0`)).status).toBe(400);
  });

  it('refuses to delete a project that is still provisioning, and an unknown one', async () => {
    const { projectId } = await seedProject(t);
    const refused = await t.api.delete(`/projects/${projectId}`);

    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('conflict');
    expect(deprovisionExecutions(projectId)).toEqual([]);
    expect((await t.api.delete(`/projects/prj_${'c'.repeat(26)}`)).status).toBe(404);
  });

  it('answers 403 to a project key that tries to delete its own project', async () => {
    const projectId = await activeProject(t, 'SelfDelete');
    const { secret } = await newKey(t, projectId);
    expect((await t.api.delete(`/projects/${projectId}`, { token: secret })).status).toBe(403);
  });
});
