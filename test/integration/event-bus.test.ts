import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalAwsEndpoint } from '../../infra/local/aws/aws-endpoint.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../infra/local/aws/constants.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb/dynamodb-local.ts';
import {
  type EventEnvelope,
  LocalEventBus,
  localBusName,
} from '../../infra/local/eventbridge/event-bus.ts';
import { PROJECT_EVENT_SOURCE } from '../../lambdas/lib/event-rules.ts';

const BUS = localBusName('events');

/** The "Lambda service" the bus invokes: records calls; each test may make it fail. */
let invoked: { name: string; event: EventEnvelope }[] = [];
let behaviour: () => Promise<unknown> = async () => ({ ok: true });

const bus = new LocalEventBus({
  invoke: async (name, event) => {
    invoked.push({ name, event: event as EventEnvelope });
    return behaviour();
  },
  retryDelayMs: 1,
});
const endpoint = new LocalAwsEndpoint();
let events: EventBridgeClient;

beforeAll(async () => {
  endpoint.addJson(bus.operations());
  events = new EventBridgeClient({
    endpoint: await endpoint.listen(),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  events.destroy();
  await endpoint.close();
});
beforeEach(() => {
  invoked = [];
  behaviour = async () => ({ ok: true });
});

const projectEvent = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: BUS,
  Source: PROJECT_EVENT_SOURCE,
  DetailType: 'order.paid',
  Detail: JSON.stringify({ projectId: 'prj_a', id: 'evt_1', data: { amount: 100 } }),
  ...overrides,
});

const put = (...Entries: PutEventsRequestEntry[]) => events.send(new PutEventsCommand({ Entries }));

describe("the twin's EventBridge, through @aws-sdk/client-eventbridge", () => {
  it('delivers a matching event to the rule target as the EventBridge envelope', async () => {
    const time = new Date('2026-03-01T09:00:00Z');

    const answer = await put(projectEvent({ Time: time, Resources: ['arn:x'] }));
    await bus.idle();

    expect(answer.FailedEntryCount).toBe(0);
    const eventId = answer.Entries?.[0]?.EventId;
    expect(eventId).toEqual(expect.any(String));
    expect(invoked).toEqual([
      {
        name: 'EventRouter',
        event: {
          version: '0',
          id: eventId,
          'detail-type': 'order.paid',
          source: PROJECT_EVENT_SOURCE,
          account: LOCAL_ACCOUNT,
          time: '2026-03-01T09:00:00Z',
          region: LOCAL_REGION,
          resources: ['arn:x'],
          detail: { projectId: 'prj_a', id: 'evt_1', data: { amount: 100 } },
        },
      },
    ]);
    expect(bus.deliveries().find((d) => d.eventId === eventId)).toMatchObject({
      rule: 'RouteProjectEvents',
      status: 'delivered',
      attempts: 1,
    });
  });

  it('accepts the bus by ARN as well as by name', async () => {
    const arn = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${BUS}`;

    await put(projectEvent({ EventBusName: arn }));
    await bus.idle();

    expect(invoked.map((call) => call.name)).toEqual(['EventRouter']);
  });

  it('records but does not deliver an event no rule matches', async () => {
    const answer = await put(
      projectEvent({ Source: 'someone.else' }),
      projectEvent({ EventBusName: undefined }), // the default bus has no rules
    );
    await bus.idle();

    expect(answer.FailedEntryCount).toBe(0);
    expect(invoked).toEqual([]);
    const ids = answer.Entries?.map((entry) => entry.EventId);
    const logged = bus.log().filter((record) => ids?.includes(record.envelope.id));
    expect(logged.map((record) => [record.eventBusName, record.rules])).toEqual([
      [BUS, []],
      ['default', []],
    ]);
  });

  it('answers per-entry errors for bad entries and still accepts the good ones', async () => {
    const answer = await put(
      projectEvent({ Detail: 'not json' }),
      projectEvent({ Source: undefined }),
      projectEvent({ EventBusName: 'no-such-bus' }),
      projectEvent(),
    );
    await bus.idle();

    expect(answer.FailedEntryCount).toBe(3);
    expect(answer.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'InvalidArgument',
      'ResourceNotFoundException',
      'ok',
    ]);
    expect(invoked).toHaveLength(1);
  });

  it('answers before the target has finished (delivery is asynchronous)', async () => {
    let released = false;
    let release = () => {
      released = true;
    };
    behaviour = () =>
      released ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve));

    const answer = await put(projectEvent());
    release();
    await bus.idle();

    expect(answer.FailedEntryCount).toBe(0);
    expect(invoked).toHaveLength(1);
  });

  it('retries a failing target like Lambda async invoke, then records the outcome', async () => {
    let failures = 2;
    behaviour = async () => {
      if (failures-- > 0) throw new Error('cold and grumpy');
    };
    const recovered = await put(projectEvent());
    await bus.idle();
    behaviour = async () => {
      throw new Error('always down');
    };
    const lost = await put(projectEvent());
    await bus.idle();

    const outcome = (answer: typeof recovered) =>
      bus.deliveries().find((d) => d.eventId === answer.Entries?.[0]?.EventId);
    expect(outcome(recovered)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(outcome(lost)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(outcome(lost)?.error).toMatch(/always down/);
  });
});
