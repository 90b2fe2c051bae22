import { afterEach, describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

afterEach(() => t.twin.faults.set(''));

/** Provisions a project under `faults`; returns what the API, the mail sink and the tables hold. */
const provisionUnder = async (name: string, faults: string) => {
  t.twin.faults.set(faults);
  const created = await t.api.post('/projects', {
    name,
    ownerEmail: `${name.toLowerCase()}@example.com`,
  });
  expect(created.status).toBe(202);
  await t.idle();
  const projectId = created.body.id as string;
  const project = (await t.api.get(`/projects/${projectId}`)).body;
  // Welcome mails counted by recipient and kind, not by any dedupe key.
  const welcomes = ((await t.api.get('/_dev/mail')).body as { to: string; subject: string }[])
    .filter((m) => m.to === `${name.toLowerCase()}@example.com`)
    .filter((m) => m.subject.startsWith('Welcome to retrysafe'));
  const audit = (await t.api.get(`/projects/${projectId}/audit`)).body.entries as {
    action: string;
  }[];
  const tenant = (await t.scan('platform')).filter((i) => i.pk === `TENANT#${projectId}`);
  const [execution] = t.twin.executions
    .list(localStateMachineArn('provision-project'))
    .filter((e) => e.name === `provision-${projectId}`);
  return { project, welcomes, audit, tenant, execution };
};

describe('the welcome e-mail is off the critical path', () => {
  it.each([
    ['the mail service rejects every send', 'mail:fail'],
    ['the step fails every time', 'step.SendWelcomeEmail:fail'],
  ])('keeps the project active when %s, with the mail recorded as failed', async (_, faults) => {
    const run = await provisionUnder(`MailDown${faults.length}`, faults);

    expect(run.project).toMatchObject({
      status: 'active',
      welcomeEmail: { status: 'failed', error: expect.any(String) },
    });
    expect(run.project.failure).toBeUndefined();
    expect(run.welcomes).toEqual([]);
    expect(run.audit.filter((e) => e.action === 'mail.failed')).toHaveLength(1);
    expect(run.audit.filter((e) => e.action === 'project.failed')).toEqual([]);
    // No compensation: storage is still there, the tenant is not soft-deleted.
    expect(run.tenant.map((i) => i.sk)).toContain('STORAGE');
    expect(run.tenant.find((i) => i.sk === 'TENANT')?.deletedAt).toBeUndefined();
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('outlasts an outage shorter than the retry window: one mail, nothing recorded as failed', async () => {
    const run = await provisionUnder('MailBlip', 'mail:fail:7');

    expect(run.project.status).toBe('active');
    expect(run.project.welcomeEmail).toBeUndefined();
    expect(run.welcomes).toHaveLength(1);
  });

  it.each([
    ['times out mid-send (the first attempt confirms while the retry waits)', 'timeout'],
    ['is invoked twice at once', 'duplicate'],
  ])('sends exactly one welcome when the step %s', async (_, mode) => {
    const run = await provisionUnder(`Mail${mode}`, `step.SendWelcomeEmail:${mode}:1`);

    expect(run.project.status).toBe('active');
    expect(run.project.welcomeEmail).toBeUndefined();
    expect(run.welcomes).toHaveLength(1);
  });

  it('redoes the send after the claim lease when the process died between send and record (at-least-once)', async () => {
    const run = await provisionUnder('MailCrash', 'step.SendWelcomeEmail:crash:1');

    // The documented exception: the mail service takes no idempotency key, so a send whose
    // record was never written is sent again once its claim lease has passed.
    expect(run.project.status).toBe('active');
    expect(run.project.welcomeEmail).toBeUndefined();
    expect(run.welcomes).toHaveLength(2);
  });
});
