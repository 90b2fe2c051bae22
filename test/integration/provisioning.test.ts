import { describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

const newProject = (name = 'Acme') => ({
  name,
  ownerEmail: `owner+${name.toLowerCase()}@example.com`,
});

const provisionExecutions = (projectId: string) =>
  t.twin.executions
    .list(localStateMachineArn('provision-project'))
    .filter((e) => e.name === `provision-${projectId}`);

const welcomeMails = async (projectId: string) => {
  const mail = await t.api.get('/_dev/mail');
  return (mail.body as { body: string }[]).filter((m) => m.body.includes(projectId));
};

const projectItems = async () =>
  (await t.scan('platform')).filter((item) => item.kind === 'project');

describe('POST /v1/projects → provision-project, end to end', () => {
  it('accepts with 202 and the project, then the saga makes it active with the latest schema and one welcome e-mail', async () => {
    const created = await t.api.post('/projects', newProject('Active'), { key: 'active-1' });

    expect(created.status).toBe(202);
    expect(created.headers.get('location')).toBe(`/v1/projects/${created.body.id}`);
    expect(created.headers.get('idempotency-key')).toBe('active-1');
    expect(created.body).toEqual({
      id: expect.stringMatching(/^prj_[a-z2-7]{26}$/),
      name: 'Active',
      ownerEmail: 'owner+active@example.com',
      plan: 'free',
      status: 'provisioning',
      createdAt: expect.any(String),
    });

    await t.idle();
    const project = await t.api.get(`/projects/${created.body.id}`);
    expect(project.body).toMatchObject({ status: 'active', schemaVersion: 3 });
    expect(provisionExecutions(created.body.id).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(await welcomeMails(created.body.id)).toHaveLength(1);
  });

  it('replays the stored 202 byte for byte when the same key and body arrive again', async () => {
    const first = await t.api.post('/projects', newProject('Replay'), { key: 'replay-1' });
    await t.idle();
    const again = await t.api.post('/projects', newProject('Replay'), { key: 'replay-1' });

    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect((await projectItems()).filter((p) => p.id === first.body.id)).toHaveLength(1);
    expect(provisionExecutions(first.body.id)).toHaveLength(1);
    expect(await welcomeMails(first.body.id)).toHaveLength(1);
  });

  it('generates and echoes a key when none is sent, so two such requests make two projects', async () => {
    const one = await t.api.post('/projects', newProject('Keyless'));
    const two = await t.api.post('/projects', newProject('Keyless'));

    expect(one.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(two.headers.get('idempotency-key')).not.toBe(one.headers.get('idempotency-key'));
    expect(two.body.id).not.toBe(one.body.id);
  });

  it('answers 422 idempotency_key_reused for the same key with another body and leaves the original untouched', async () => {
    const first = await t.api.post('/projects', newProject('Original'), { key: 'reuse-1' });
    const other = await t.api.post('/projects', newProject('Other'), { key: 'reuse-1' });

    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect((await t.api.get(`/projects/${first.body.id}`)).body.name).toBe('Original');
  });

  it.each([
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'bad\tkey'],
  ])('refuses an Idempotency-Key of %s with 400 and writes nothing', async (_, key) => {
    const before = (await projectItems()).length;
    const response = await t.api.post('/projects', newProject('BadKey'), { key });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('idempotency_key_invalid');
    expect((await projectItems()).length).toBe(before);
  });

  it('accepts a 255-character printable key', async () => {
    const response = await t.api.post('/projects', newProject('LongKey'), {
      key: `${'k'.repeat(254)}~`,
    });
    expect(response.status).toBe(202);
  });

  it('answers concurrent duplicates with one 202 and otherwise replays or 409 with Retry-After', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.api.post('/projects', newProject('Race'), { key: 'race-1' }),
      ),
    );

    const fresh = responses.filter(
      (r) => r.status === 202 && !r.headers.get('idempotent-replayed'),
    );
    const others = responses.filter((r) => !fresh.includes(r));
    expect(fresh).toHaveLength(1);
    for (const response of others) {
      if (response.status === 409) {
        expect(response.body.code).toBe('idempotency_request_in_progress');
        expect(response.headers.get('retry-after')).toBe('1');
      } else {
        expect(response.status).toBe(202);
        expect(response.text).toBe(fresh[0]?.text);
      }
    }
  });

  it('makes exactly one project, one execution and one e-mail from 50 concurrent identical requests, with no 5xx', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.api.post('/projects', newProject('Fifty'), { key: 'fifty-1' }),
      ),
    );
    await t.idle();

    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    const accepted = responses.find((r) => r.status === 202);
    const projectId = accepted?.body.id as string;
    expect((await projectItems()).filter((p) => p.name === 'Fifty')).toHaveLength(1);
    expect(provisionExecutions(projectId)).toHaveLength(1);
    expect(await welcomeMails(projectId)).toHaveLength(1);
  });
});

describe('RunMigrations', () => {
  it('finishes a partly migrated tenant: each version applied and recorded once, schema at the latest', async () => {
    const { DynamoTenants } = await import('../../lambdas/lib/adapters/dynamo-tenants.ts');
    const { documentClientOf } = await import('../../lambdas/lib/adapters/dynamodb.ts');
    const { migrations } = await import('../../lambdas/lib/domain/migrations.ts');
    const input = await seedProject(t);
    await t.twin.functions.invoke('CreateTenantStorage', input);
    const tenants = new DynamoTenants(documentClientOf(), t.twin.tables.platform);
    const first = migrations.slice(0, 1);
    expect(await tenants.applyMigrations(input.projectId, first, new Date().toISOString())).toBe(
      true,
    );
    const firstRecord = async () =>
      (await t.scan('platform')).find(
        (i) => i.pk === `TENANT#${input.projectId}` && i.sk === 'MIGRATION#0001',
      );
    const recordedAt = (await firstRecord())?.appliedAt;

    // The first try (all versions in one transaction) is refused for version 1, so it reads what
    // is applied and applies the rest; a retry finds everything done.
    for (let i = 0; i < 2; i += 1) {
      expect(await t.twin.functions.invoke('RunMigrations', input)).toEqual({
        projectId: input.projectId,
        schemaVersion: migrations.length,
      });
    }

    const tenantItems = (await t.scan('platform')).filter(
      (i) => i.pk === `TENANT#${input.projectId}`,
    );
    const recorded = tenantItems.filter((i) => String(i.sk).startsWith('MIGRATION#'));
    expect(recorded.map((i) => i.version).sort()).toEqual(migrations.map((m) => m.version));
    expect((await firstRecord())?.appliedAt).toBe(recordedAt);
    const dataNames = migrations.flatMap((m) => Object.keys(m.items).map((n) => `DATA#${n}`));
    expect(
      tenantItems
        .filter((i) => i.kind === 'data')
        .map((i) => i.sk)
        .sort(),
    ).toEqual(dataNames.sort());
    const project = (await projectItems()).find((p) => p.id === input.projectId);
    expect(project?.schemaVersion).toBe(migrations.length);
  });
});
