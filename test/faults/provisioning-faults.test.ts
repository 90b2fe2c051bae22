import { afterEach, describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

afterEach(() => t.twin.faults.set(''));

/** Provisions a project under the current faults and waits for the saga to finish. */
const provision = async (name: string) => {
  const created = await t.api.post(
    '/projects',
    { name, ownerEmail: `${name.toLowerCase()}@example.com` },
    { key: `fault-${name}` },
  );
  expect(created.status).toBe(202);
  await t.idle();
  const projectId = created.body.id as string;
  const [execution] = t.twin.executions
    .list(localStateMachineArn('provision-project'))
    .filter((e) => e.name === `provision-${projectId}`);
  if (!execution) throw new Error('no execution');
  /** Attempts at a state: entering it, plus each retry (the event log has no re-entry). */
  const attempts = (state: string) =>
    execution.events.filter(
      (e) => (e.type === 'StateEntered' || e.type === 'StateRetried') && e.state === state,
    ).length;
  const project = (await t.api.get(`/projects/${projectId}`)).body;
  const mails = ((await t.api.get('/_dev/mail')).body as { body: string }[]).filter((m) =>
    m.body.includes(projectId),
  );
  const tenantItems = (await t.scan('platform')).filter(
    (item) => item.pk === `TENANT#${projectId}`,
  );
  return { projectId, execution, attempts, project, mails, tenantItems };
};

describe('provisioning under injected faults', () => {
  it('sends one welcome e-mail when SendWelcomeEmail loses its response and is retried', async () => {
    t.twin.faults.set('step.SendWelcomeEmail:lose-response:1');
    const run = await provision('LostMail');

    expect(run.attempts('SendWelcomeEmail')).toBe(2);
    expect(run.mails).toHaveLength(1);
    expect(run.project.status).toBe('active');
  });

  it('reaches active with one of everything when every forward step loses its first response', async () => {
    t.twin.faults.set(
      [
        'CreateTenantRecord',
        'CreateTenantStorage',
        'RunMigrations',
        'SendWelcomeEmail',
        'MarkActive',
      ]
        .map((state) => `step.${state}:lose-response:1`)
        .join(','),
    );
    const run = await provision('AllLost');

    expect(run.project).toMatchObject({ status: 'active', schemaVersion: 3 });
    expect(run.mails).toHaveLength(1);
    expect(run.tenantItems.filter((i) => String(i.sk).startsWith('MIGRATION#'))).toHaveLength(3);
  });

  it('retries a failing migration, then compensates once and marks the project failed', async () => {
    t.twin.faults.set('step.RunMigrations:fail');
    const run = await provision('Broken');

    expect(run.attempts('RunMigrations')).toBe(4);
    for (const state of ['DropTenantStorage', 'SoftDeleteTenant', 'MarkFailed'])
      expect(run.attempts(state), state).toBe(1);
    expect(run.attempts('SendWelcomeEmail')).toBe(0);
    expect(run.project).toMatchObject({ status: 'failed', failure: { error: 'InjectedFault' } });
    expect(run.tenantItems.map((i) => i.sk)).toEqual(['TENANT']);
    expect(run.tenantItems[0]?.deletedAt).toEqual(expect.any(String));
    expect(run.mails).toHaveLength(0);
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'ProvisioningFailed' });
  });

  it('keeps the first deletion time when the soft delete loses its response during compensation', async () => {
    t.twin.faults.set('step.RunMigrations:fail,step.SoftDeleteTenant:lose-response:1');
    const run = await provision('BrokenTwice');

    expect(run.attempts('SoftDeleteTenant')).toBe(2);
    expect(run.project.status).toBe('failed');
    expect(run.tenantItems).toHaveLength(1);
  });

  it.each([
    ['times out every time after its write', 'timeout'],
    ['crashes every time after its write', 'crash'],
  ])(
    'keeps the project active when MarkActive %s: compensation starts, finds it active, and carries on',
    async (_, mode) => {
      t.twin.faults.set(`step.MarkActive:${mode}`);
      const run = await provision(`Landed${mode}`);

      expect(run.attempts('MarkActive')).toBe(4);
      expect(run.attempts('MarkFailed')).toBe(1);
      expect(run.attempts('DropTenantStorage')).toBe(0);
      expect(run.project.status).toBe('active');
      expect(run.tenantItems.map((i) => i.sk)).toContain('STORAGE');
      expect(run.tenantItems.find((i) => i.sk === 'TENANT')?.deletedAt).toBeUndefined();
      expect(run.mails).toHaveLength(1);
      expect(run.execution).toMatchObject({ status: 'SUCCEEDED' });
    },
  );
});
