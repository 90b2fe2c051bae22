import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
afterEach(() => t.twin.faults.set(''));

const HOURLY = 'cron(0 * * * ? *)';

const define = async (body: Record<string, unknown>, activityId: string = randomUUID()) => {
  const response = await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
    tasks: [{ type: 'noop', count: 2 }],
    ...body,
  });
  return { activityId, response };
};

const hourly = async (misfirePolicy: string, extra: Record<string, unknown> = {}) => {
  const { activityId, response } = await define({
    schedule: HOURLY,
    misfirePolicy,
    dedupeKeyStrategy: misfirePolicy,
    ...extra,
  });
  expect(response.status).toBe(200);
  return activityId;
};

const fire = async (activityId: string, scheduledFor: string) => {
  const response = await t.api.post('/_dev/scheduler/fire', {
    projectId,
    activityId,
    scheduledFor,
  });
  expect(response.status).toBe(200);
  await t.idle();
};

const runsOf = async (activityId: string) =>
  (await t.api.get(`/projects/${projectId}/activities/${activityId}/runs`)).body.runs as {
    runId: string;
    trigger: string;
    scheduledFor?: string;
    window?: { from: string; to: string };
    status: string;
    tasks: { id: string; status: string }[];
  }[];

const ids = async (activityId: string) => (await runsOf(activityId)).map((r) => r.runId).sort();
const at = (hour: number) => `2026-03-01T${String(hour).padStart(2, '0')}:00:00Z`;
const runId = (activityId: string, hour: number) => `activity-${activityId}:${at(hour)}`;

describe('scheduled activities: deterministic run ids and misfire policies', () => {
  it('defines an activity and answers with it', async () => {
    const { activityId, response } = await define({
      schedule: HOURLY,
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
    });
    expect(response.body).toMatchObject({
      activityId,
      projectId,
      schedule: HOURLY,
      timezone: 'UTC',
      misfirePolicy: 'skip',
      maxCatchup: 10,
      version: 1,
    });
  });

  it('starts one run for a fire delivered 10 times, with its task instances done', async () => {
    const activityId = await hourly('skip');
    for (let i = 0; i < 10; i += 1) await fire(activityId, at(9));

    const runs = await runsOf(activityId);
    expect(runs.map((r) => r.runId)).toEqual([runId(activityId, 9)]);
    expect(runs[0]).toMatchObject({
      trigger: 'schedule',
      scheduledFor: at(9),
      status: 'succeeded',
    });
    expect(runs[0]?.tasks.map((task) => task.id)).toEqual([
      `task-${runId(activityId, 9)}:noop:0`,
      `task-${runId(activityId, 9)}:noop:1`,
    ]);
  });

  it('skip: a fire at 14:00 after 09:00 runs 09:00 and 14:00 only', async () => {
    const activityId = await hourly('skip');
    await fire(activityId, at(9));
    await fire(activityId, at(14));
    expect(await ids(activityId)).toEqual([9, 14].map((h) => runId(activityId, h)));
  });

  it('catchup: replays every missed hour, oldest first', async () => {
    const activityId = await hourly('catchup');
    await fire(activityId, at(9));
    await fire(activityId, at(14));
    expect(await ids(activityId)).toEqual([9, 10, 11, 12, 13, 14].map((h) => runId(activityId, h)));
  });

  it('catchup with maxCatchup 2: replays only the newest two missed hours', async () => {
    const activityId = await hourly('catchup', { maxCatchup: 2 });
    await fire(activityId, at(9));
    await fire(activityId, at(14));
    expect(await ids(activityId)).toEqual([9, 12, 13, 14].map((h) => runId(activityId, h)));
  });

  it('compress: one 14:00 run whose window covers 10:00–14:00', async () => {
    const activityId = await hourly('compress');
    await fire(activityId, at(9));
    await fire(activityId, at(14));

    const runs = await runsOf(activityId);
    expect(runs.map((r) => r.runId).sort()).toEqual([9, 14].map((h) => runId(activityId, h)));
    expect(runs.find((r) => r.scheduledFor === at(14))?.window).toEqual({
      from: at(10),
      to: at(14),
    });
  });

  it('ignores a late duplicate below the high-water mark', async () => {
    const activityId = await hourly('catchup');
    await fire(activityId, at(9));
    await fire(activityId, at(10));
    await fire(activityId, at(9));
    expect(await ids(activityId)).toEqual([9, 10].map((h) => runId(activityId, h)));
  });

  it('creates no duplicate task record when RunTask loses its response', async () => {
    const activityId = await hourly('skip');
    t.twin.faults.set('step.RunTask:lose-response:2');
    await fire(activityId, at(9));

    const tasks = (await t.scan('platform')).filter((i) =>
      String(i.sk).startsWith(`TASK#task-activity-${activityId}:`),
    );
    expect(tasks.map((i) => i.sk).sort()).toEqual([
      `TASK#task-${runId(activityId, 9)}:noop:0`,
      `TASK#task-${runId(activityId, 9)}:noop:1`,
    ]);
    expect((await runsOf(activityId))[0]?.status).toBe('succeeded');
  });

  it('runs http-ping tasks against a URL, failing the run on a non-2xx answer', async () => {
    const activityId = await hourly('skip', {
      tasks: [{ type: 'http-ping', count: 1, url: receiver.url }],
    });
    receiver.answers = [200, 503];
    await fire(activityId, at(9));
    await fire(activityId, at(10));

    const runs = await runsOf(activityId);
    expect(runs.find((r) => r.scheduledFor === at(9))?.status).toBe('succeeded');
    expect(runs.find((r) => r.scheduledFor === at(10))?.status).toBe('failed');
  });
});

describe('event-triggered activities', () => {
  it('starts one run per event, however often EventBridge delivers it', async () => {
    const { activityId } = await define({
      eventTypes: ['order.paid'],
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
    });
    const envelope = {
      id: 'eb-1',
      source: 'retrysafe.events',
      'detail-type': 'order.paid',
      detail: { projectId, eventId: 'evt_paid_1', type: 'order.paid', data: {} },
    };
    await t.twin.functions.invoke('EventRouter', envelope);
    await t.twin.functions.invoke('EventRouter', envelope);
    await t.idle();

    const runs = await runsOf(activityId);
    expect(runs.map((r) => r.runId)).toEqual([`activity-${activityId}:evt_paid_1`]);
    expect(runs[0]).toMatchObject({ trigger: 'event', eventId: 'evt_paid_1', status: 'succeeded' });
  });

  it('runs an activity from an event posted to the API, through the bus', async () => {
    const { activityId } = await define({
      eventTypes: ['user.joined'],
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
    });
    await t.api.post(`/projects/${projectId}/events`, {
      id: 'joined-1',
      type: 'user.joined',
      data: {},
    });
    await t.twin.eventBus.idle();
    await t.idle();

    expect(await ids(activityId)).toEqual([`activity-${activityId}:joined-1`]);
  });
});

describe('PUT …/activities/{activityId} validation', () => {
  it('answers 422 when dedupeKeyStrategy differs from misfirePolicy', async () => {
    const { response } = await define({
      schedule: HOURLY,
      misfirePolicy: 'catchup',
      dedupeKeyStrategy: 'skip',
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('unprocessable');
  });

  it.each([
    ['an invalid cron', { schedule: 'cron(0 * * *)' }],
    ['an invalid rate', { schedule: 'rate(0 minutes)' }],
    ['an unknown timezone', { schedule: HOURLY, timezone: 'Mars/Olympus' }],
    ['neither schedule nor eventTypes', {}],
    ['an http-ping without url', { schedule: HOURLY, tasks: [{ type: 'http-ping', count: 1 }] }],
    ['maxCatchup over 100', { schedule: HOURLY, maxCatchup: 101 }],
  ])('answers 400 for %s', async (_, body) => {
    const { response } = await define({
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      ...body,
    });
    expect(response.status).toBe(400);
  });

  it('answers 400 for an activity id that is not a UUID', async () => {
    const { response } = await define(
      { schedule: HOURLY, misfirePolicy: 'skip', dedupeKeyStrategy: 'skip' },
      'not-a-uuid',
    );
    expect(response.status).toBe(400);
  });

  it('keeps the version when the same definition is PUT again, and bumps it on a change', async () => {
    const body = { schedule: HOURLY, misfirePolicy: 'skip', dedupeKeyStrategy: 'skip' };
    const { activityId } = await define(body);
    const same = await define(body, activityId);
    const changed = await define({ ...body, maxCatchup: 3 }, activityId);
    expect([same.response.body.version, changed.response.body.version]).toEqual([1, 2]);
  });
});
