import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { SCHEDULE_TARGET } from '../../lambdas/events/functions.ts';
import { activeProject } from '../support/projects.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

afterEach(() => t.twin.faults.set(''));

const HOURLY = 'cron(0 * * * ? *)';

/** An active project with one scheduled activity. */
const scheduledProject = async (name: string) => {
  const projectId = await activeProject(t, name);
  const activityId = randomUUID();
  const put = await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
    tasks: [{ type: 'noop', count: 1 }],
    schedule: HOURLY,
    misfirePolicy: 'skip',
    dedupeKeyStrategy: 'skip',
  });
  expect(put.status).toBeLessThan(300);
  return { projectId, activityId };
};

const schedulesOf = async (projectId: string) =>
  ((await t.api.get('/_dev/schedules')).body as { projectId?: string }[]).filter(
    (s) => s.projectId === projectId,
  );

const runExecutionsOf = (projectId: string) =>
  t.twin.executions
    .list(localStateMachineArn('run-activity'))
    .filter((e) => JSON.parse(e.input).projectId === projectId);

describe('deprovisioning stops everything the project started', () => {
  it('deletes the schedules, and a late fire or event for the project starts no run', async () => {
    const { projectId, activityId } = await scheduledProject('Scheduled');
    expect(await schedulesOf(projectId)).toEqual([
      expect.objectContaining({ state: 'ENABLED', scheduleExpression: HOURLY, activityId }),
    ]);

    expect((await t.api.delete(`/projects/${projectId}`)).status).toBe(202);
    await t.idle();

    expect(await schedulesOf(projectId)).toEqual([]);
    // A fire already in flight when the schedule was deleted reaches the dispatcher anyway.
    const late = await t.twin.functions.invoke(SCHEDULE_TARGET, {
      projectId,
      activityId,
      scheduledFor: '2026-01-01T10:00:00.000Z',
    });
    expect(late).toEqual({ runIds: [] });
    await t.idle();
    expect(runExecutionsOf(projectId)).toEqual([]);
  });

  it('starts a failed deprovisioning again on the next DELETE, without a second effect', async () => {
    const { projectId } = await scheduledProject('Stubborn');
    t.twin.faults.set('step.DropTenantStorage:fail');
    expect((await t.api.delete(`/projects/${projectId}`)).status).toBe(202);
    await t.idle();
    expect((await t.api.get(`/projects/${projectId}`)).body.status).toBe('deleting');

    t.twin.faults.set('');
    const tenantBefore = (await t.scan('platform')).find(
      (i) => i.pk === `TENANT#${projectId}` && i.sk === 'TENANT',
    );
    expect((await t.api.delete(`/projects/${projectId}`)).status).toBe(202);
    await t.idle();
    expect((await t.api.delete(`/projects/${projectId}`)).status).toBe(202);
    await t.idle();

    const executions = t.twin.executions
      .list(localStateMachineArn('deprovision-project'))
      .filter((e) => e.name.startsWith(`deprovision-${projectId}`))
      .map((e) => [e.name, e.status]);
    expect(executions.sort()).toEqual([
      [`deprovision-${projectId}`, 'FAILED'],
      [`deprovision-${projectId}-r1`, 'SUCCEEDED'],
    ]);
    expect((await t.api.get(`/projects/${projectId}`)).body.status).toBe('deleted');
    const audit = (await t.api.get(`/projects/${projectId}/audit`)).body.entries as {
      action: string;
    }[];
    expect(audit.filter((e) => e.action === 'project.deleted')).toHaveLength(1);
    const tenant = (await t.scan('platform')).filter((i) => i.pk === `TENANT#${projectId}`);
    expect(tenant.map((i) => i.sk)).toEqual(['TENANT']);
    expect(tenant[0]?.deletedAt).toEqual(expect.any(String));
    expect(tenantBefore?.deletedAt).toBeUndefined();
    expect(await schedulesOf(projectId)).toEqual([]);
  });
});
