import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalAwsEndpoint } from '../../infra/local/aws/aws-endpoint.ts';
import { localFunctionArn } from '../../infra/local/aws/constants.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { LocalScheduler } from '../../infra/local/scheduler/scheduler.ts';
import type { SchedulerClock } from '../../infra/local/scheduler/scheduler-api.ts';

/** A clock the test moves by hand: timers run in order as their time comes. */
class FakeClock implements SchedulerClock {
  private timers: { at: number; fn: () => void }[] = [];
  constructor(private current: number) {}
  now = () => this.current;
  setTimer = (ms: number, fn: () => void) => {
    const timer = { at: this.current + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };
  advanceTo(iso: string): void {
    const until = Date.parse(iso);
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.at;
      due.fn();
    }
    this.current = until;
  }
}

const clock = new FakeClock(Date.parse('2026-03-01T08:58:30Z'));
const delivered: { fn: string; event: unknown }[] = [];
const failures: string[] = [];
const scheduler = new LocalScheduler(
  async (fn, event) => {
    delivered.push({ fn, event });
    if (fn === 'Broken') throw new Error('target failed');
    return { ok: true };
  },
  {
    clock,
    groups: ['retrysafe'],
    onDeliveryError: (_, schedule, at) => failures.push(`${schedule}@${at}`),
  },
);
const endpoint = new LocalAwsEndpoint();
let client: SchedulerClient;

beforeAll(async () => {
  endpoint.addRest(...scheduler.operations());
  const url = await endpoint.listen();
  client = new SchedulerClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  scheduler.stop();
  client.destroy();
  await endpoint.close();
});
afterEach(() => {
  delivered.length = 0;
  failures.length = 0;
});

// The dispatcher's event, as the schedule target sends it; activityId here names the schedule.
const inputFor = (name: string) =>
  `{"projectId":"prj_1","activityId":"${name}","scheduledFor":"<aws.scheduler.scheduled-time>"}`;
const request = (name: string, extra: Partial<CreateScheduleCommandInput> = {}) =>
  ({
    Name: name,
    ScheduleExpression: 'cron(0 * * * ? *)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: localFunctionArn('Dispatcher'),
      RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
      Input: inputFor(name),
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
    },
    ClientToken: `token-${name}`,
    ...extra,
  }) satisfies CreateScheduleCommandInput;
const firesOf = (name: string) =>
  delivered
    .map((d) => d.event as { activityId: string; scheduledFor: string })
    .filter((event) => event.activityId === name)
    .map((event) => event.scheduledFor);
const create = (name: string, extra?: Partial<CreateScheduleCommandInput>) =>
  client.send(new CreateScheduleCommand(request(name, extra)));

describe("the twin's EventBridge Scheduler API, through @aws-sdk/client-scheduler", () => {
  it('creates a schedule that GetSchedule describes, RetryPolicy and DeadLetterConfig included', async () => {
    const { ScheduleArn } = await create('described', {
      ScheduleExpressionTimezone: 'Europe/Paris',
    });

    const got = await client.send(new GetScheduleCommand({ Name: 'described' }));

    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/described');
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      GroupName: 'default',
      Name: 'described',
      ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      Target: request('described').Target,
    });
    expect(got.CreationDate).toEqual(new Date('2026-03-01T08:58:30Z'));
  });

  it('succeeds again, with the same ARN, when CreateSchedule is retried with its ClientToken', async () => {
    const first = await create('retried');
    const again = await create('retried');
    expect(again.ScheduleArn).toBe(first.ScheduleArn);
  });

  it('refuses a taken name under another ClientToken, or another request, as ConflictException', async () => {
    await create('taken');
    await expect(create('taken', { ClientToken: 'other' })).rejects.toBeInstanceOf(
      ConflictException,
    );
    await expect(create('taken', { Description: 'changed' })).rejects.toThrow(/already exists/);
  });

  it.each([
    ['a rate unit that disagrees with its value', { ScheduleExpression: 'rate(1 hours)' }],
    ['a cron with no ? day field', { ScheduleExpression: 'cron(0 9 * * * *)' }],
    ['W, which the twin does not support', { ScheduleExpression: 'cron(0 9 15W * ? *)' }],
    ['an unknown time zone', { ScheduleExpressionTimezone: 'Mars/Olympus' }],
    ['a StartDate more than 5 minutes ago', { StartDate: new Date('2026-03-01T08:50:00Z') }],
    ['a target that is not a Lambda function', { Target: { Arn: 'arn:aws:sqs:x', RoleArn: 'r' } }],
    [
      'a RetryPolicy out of range',
      { Target: { ...request('x').Target, RetryPolicy: { MaximumRetryAttempts: 186 } } },
    ],
    ['an Input that is not JSON', { Target: { ...request('x').Target, Input: 'not json' } }],
  ])('refuses %s as ValidationException', async (_, extra) => {
    await expect(create('invalid', extra)).rejects.toBeInstanceOf(ValidationException);
  });

  it('replaces the whole definition on UpdateSchedule', async () => {
    await create('updated', { Description: 'first' });
    const { ClientToken: _, ...rest } = request('updated');

    await client.send(
      new UpdateScheduleCommand({
        ...rest,
        ScheduleExpression: 'rate(5 minutes)',
        State: 'DISABLED',
      }),
    );

    const got = await client.send(new GetScheduleCommand({ Name: 'updated' }));
    expect(got).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' });
    expect(got.Description).toBeUndefined();
  });

  it('answers ResourceNotFoundException for an unknown schedule or group', async () => {
    await expect(client.send(new GetScheduleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const { ClientToken: _, ...rest } = request('nope');
    await expect(client.send(new UpdateScheduleCommand(rest))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(create('grouped', { GroupName: 'missing' })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('keeps a schedule in its group: Get and Delete find it there by the groupName query', async () => {
    await create('grouped', { GroupName: 'retrysafe' });

    await client.send(new DeleteScheduleCommand({ Name: 'grouped', GroupName: 'retrysafe' }));

    await expect(
      client.send(new GetScheduleCommand({ Name: 'grouped', GroupName: 'retrysafe' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('reads the group of Get and Delete from the query string when the endpoint passes it', async () => {
    await create('queried', { GroupName: 'retrysafe' });
    const get = scheduler.operations().find((op) => op.method === 'GET');
    const match = get?.pattern.exec('/schedules/queried') as RegExpExecArray;
    const handle = get?.handle as (m: RegExpExecArray, b: object, q: URLSearchParams) => unknown;

    expect(handle(match, {}, new URLSearchParams({ groupName: 'retrysafe' }))).toMatchObject({
      GroupName: 'retrysafe',
      Name: 'queried',
    });
    expect(() => handle(match, {}, new URLSearchParams())).toThrow(/does not exist/);
  });
});

describe('delivering fires', () => {
  it('fire() invokes the target with the slot as scheduled-time, duplicates and late fires too', async () => {
    await create('fired', { State: 'DISABLED' });

    await scheduler.fire('default', 'fired', '2026-03-01T09:00:00+00:00');
    await scheduler.fire('default', 'fired', '2026-03-01T09:00:00Z');
    await scheduler.fire('default', 'fired', '2026-02-01T09:00:00Z');

    const event = (scheduledFor: string) => ({
      projectId: 'prj_1',
      activityId: 'fired',
      scheduledFor,
    });
    expect(delivered).toEqual([
      { fn: 'Dispatcher', event: event('2026-03-01T09:00:00Z') },
      { fn: 'Dispatcher', event: event('2026-03-01T09:00:00Z') },
      { fn: 'Dispatcher', event: event('2026-02-01T09:00:00Z') },
    ]);
  });

  it('fires ENABLED schedules at their slots as the clock moves: rate from its StartDate, cron', async () => {
    await create('every-minute', {
      ScheduleExpression: 'rate(1 minute)',
      StartDate: new Date('2026-03-01T08:59:10Z'),
    });
    await create('paused', { ScheduleExpression: 'rate(1 minute)', State: 'DISABLED' });
    await create('on-the-hour');

    clock.advanceTo('2026-03-01T09:01:30Z');
    await scheduler.idle();

    expect(firesOf('every-minute')).toEqual([
      '2026-03-01T08:59:10Z',
      '2026-03-01T09:00:10Z',
      '2026-03-01T09:01:10Z',
    ]);
    expect(firesOf('paused')).toEqual([]);
    expect(firesOf('on-the-hour')).toEqual(['2026-03-01T09:00:00Z']);
  });

  it('retries a failed clock-driven delivery twice, as Lambda does, then reports it', async () => {
    const target = { ...request('broken').Target, Arn: localFunctionArn('Broken') };
    await create('broken', { ScheduleExpression: 'cron(5 9 * * ? *)', Target: target });

    clock.advanceTo('2026-03-01T09:05:00Z');
    await scheduler.idle();

    expect(firesOf('broken')).toEqual(Array(3).fill('2026-03-01T09:05:00Z'));
    expect(failures).toEqual(['default/broken@2026-03-01T09:05:00Z']);
  });

  it('fires nothing after stop()', async () => {
    scheduler.stop();
    clock.advanceTo('2026-03-02T12:00:00Z');
    await scheduler.idle();
    expect(delivered).toEqual([]);
  });
});
