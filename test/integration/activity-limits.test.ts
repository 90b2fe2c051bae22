import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_TASK_INSTANCES_PER_RUN } from '#lib/domain/activities.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();
let projectId: string;
let receiver: Receiver;

beforeAll(async () => {
  projectId = (await seedProject(t, undefined, 'active')).projectId;
  receiver = await startReceiver();
  return () => receiver.close();
});

/**
 * The largest definition PUT activity accepts: 20 tasks (the most), counts adding up to the
 * instance limit, and http-ping URLs of the longest length allowed (2,048 characters).
 */
const largest = () => {
  const longUrl = `${receiver.url}?${'q'.repeat(2048 - receiver.url.length - 1)}`;
  const per = MAX_TASK_INSTANCES_PER_RUN / 20;
  return Array.from({ length: 20 }, (_, i) =>
    i % 2 === 0 ? { type: 'http-ping', count: per, url: longUrl } : { type: 'noop', count: per },
  );
};

const runsOf = async (activityId: string) =>
  (await t.api.get(`/projects/${projectId}/activities/${activityId}/runs`)).body.runs as {
    runId: string;
    status: string;
    reason?: string;
    tasks: { status: string }[];
  }[];

describe('the largest activity the API accepts', () => {
  it('runs to success by schedule, its state far below 256 KiB', { timeout: 300_000 }, async () => {
    const activityId = randomUUID();
    const put = await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
      schedule: 'cron(0 * * * ? *)',
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      tasks: largest(),
    });
    expect(put.status).toBe(200);
    const pingsBefore = receiver.requests.length;

    const scheduledFor = '2026-03-01T09:00:00Z';
    await t.api.post('/_dev/scheduler/fire', { projectId, activityId, scheduledFor });
    await t.idle();

    const [run] = await runsOf(activityId);
    expect(run?.runId).toBe(`activity-${activityId}:${scheduledFor}`);
    expect(run?.status).toBe('succeeded');
    expect(run?.tasks).toHaveLength(MAX_TASK_INSTANCES_PER_RUN);
    expect(receiver.requests.length - pingsBefore).toBe(MAX_TASK_INSTANCES_PER_RUN / 2);
  });

  it('runs to success by event with the longest event id', { timeout: 300_000 }, async () => {
    const activityId = randomUUID();
    const eventId = `e${'x'.repeat(127)}`;
    await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
      eventTypes: ['bulk.ready'],
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      tasks: largest(),
    });
    const posted = await t.api.post(`/projects/${projectId}/events`, {
      id: eventId,
      type: 'bulk.ready',
      data: {},
    });
    expect(posted.status).toBe(202);
    await t.twin.eventBus.idle();
    await t.idle();

    const [run] = await runsOf(activityId);
    expect(run?.runId).toBe(`activity-${activityId}:${eventId}`);
    expect(run?.status).toBe('succeeded');
    expect(run?.tasks).toHaveLength(MAX_TASK_INSTANCES_PER_RUN);
  });

  it('ends a run whose tasks gave up as failed, with a reason, and no instance left running', async () => {
    const activityId = randomUUID();
    await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
      schedule: 'cron(0 * * * ? *)',
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      tasks: [{ type: 'noop', count: 3 }],
    });
    t.twin.faults.set('step.RunTask:fail');
    try {
      await t.api.post('/_dev/scheduler/fire', {
        projectId,
        activityId,
        scheduledFor: '2026-03-01T10:00:00Z',
      });
      await t.idle();
    } finally {
      t.twin.faults.set('');
    }
    const [run] = await runsOf(activityId);
    expect(run).toMatchObject({
      status: 'failed',
      reason: '3 of 3 task instances did not succeed',
    });
    expect(run?.tasks.filter((task) => task.status === 'running')).toEqual([]);
  });

  it('refuses one task instance more than the limit with a 422 naming it, and stores nothing', async () => {
    const activityId = randomUUID();
    const tasks = largest();
    tasks[1] = { type: 'noop', count: (tasks[1]?.count ?? 0) + 1 };
    const put = await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
      schedule: 'cron(0 * * * ? *)',
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      tasks,
    });
    expect(put.status).toBe(422);
    expect(put.body.detail).toContain(`limit is ${MAX_TASK_INSTANCES_PER_RUN}`);
    const items = await t.scan('platform');
    expect(items.filter((item) => String(item.sk).includes(activityId))).toEqual([]);
  });
});
