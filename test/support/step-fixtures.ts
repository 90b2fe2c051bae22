import { randomBytes, randomUUID } from 'node:crypto';
import type { StepName } from '../../lambdas/steps/registry.ts';
import { type Receiver, startReceiver } from './receiver.ts';
import type { TestTwin } from './twin.ts';

/** A fresh, well-formed project id. */
export const freshProjectId = (): string =>
  `prj_${randomBytes(20)
    .toString('hex')
    .replace(/[^a-z2-7]/g, 'a')
    .slice(0, 26)
    .padEnd(26, 'a')}`;

/**
 * Arranges the state a step expects — through the real handlers and adapters — and returns the
 * input Step Functions would pass it. One fixture per registered step; the generic retry test
 * fails when a step has none.
 */
export type StepFixture = (t: TestTwin) => Promise<Record<string, unknown>>;

/** Stores a project (in `provisioning`, as POST /v1/projects would) without starting the saga. */
export const seedProject = async (
  t: TestTwin,
  id = freshProjectId(),
  status: 'provisioning' | 'active' = 'provisioning',
) => {
  const { DynamoProjects } = await import('../../lambdas/lib/adapters/dynamo-projects.ts');
  const { documentClientOf } = await import('../../lambdas/lib/adapters/dynamodb.ts');
  const at = new Date().toISOString();
  await new DynamoProjects(documentClientOf(), t.twin.tables.platform).create({
    id,
    name: 'Fixture',
    ownerEmail: 'fixture@example.com',
    plan: 'pro',
    status,
    schemaVersion: 0,
    createdAt: at,
    updatedAt: at,
  });
  return { projectId: id };
};

let receiver: Promise<Receiver> | undefined;

/** One webhook receiver for the fixtures; the generic test counts its requests as effects. */
export const fixtureReceiver = (): Promise<Receiver> => {
  receiver ??= startReceiver();
  return receiver;
};

/** An event recorded as pending, as the ingress records it, without starting its delivery. */
const pendingEvent = async (projectId: string) => {
  const { DynamoProjectEvents } = await import(
    '../../lambdas/lib/adapters/dynamo-project-events.ts'
  );
  const { documentClientOf } = await import('../../lambdas/lib/adapters/dynamodb.ts');
  const { platformTableName } = await import('../../lambdas/lib/wiring/platform-table.ts');
  const eventId = `evt_fixture_${randomBytes(6).toString('hex')}`;
  await new DynamoProjectEvents(documentClientOf(), platformTableName()).create({
    id: eventId,
    projectId,
    type: 'fixture.happened',
    dataJson: '{"n":1}',
    receivedAt: new Date().toISOString(),
    delivery: { status: 'pending', attempts: 0 },
  });
  return { projectId, eventId };
};

/** An active project with a pending order, stored as POST …/charge stores it; `steps` run on it first. */
const order = async (t: TestTwin, steps: StepName[] = []) => {
  const { projectId } = await seedProject(t, freshProjectId(), 'active');
  const orderId = `order-${randomBytes(4).toString('hex')}`;
  const terms = {
    amount: 1999,
    currency: 'eur',
    customerId: 'cus_fixture',
    paymentMethod: 'pm_card_visa',
  };
  const keys = {
    charge: `charge-${projectId}-${orderId}`,
    refund: `refund-${projectId}-${orderId}`,
  };
  const { DynamoOrders } = await import('../../lambdas/lib/adapters/dynamo-orders.ts');
  const { documentClientOf } = await import('../../lambdas/lib/adapters/dynamodb.ts');
  const at = new Date().toISOString();
  await new DynamoOrders(documentClientOf(), t.twin.tables.platform).create({
    projectId,
    orderId,
    ...terms,
    status: 'pending',
    createdAt: at,
    updatedAt: at,
  });
  for (const step of steps) {
    const extra = step === 'Charge' ? { ...terms, idempotencyKey: keys.charge } : {};
    await run(t, step, { projectId, orderId, ...extra });
  }
  return { projectId, orderId, terms, keys };
};

/** A logged run of a fresh activity, with two `noop` task instances planned. */
const loggedRun = async (t: TestTwin) => {
  const { projectId } = await seedProject(t, freshProjectId(), 'active');
  const activityId = randomUUID();
  const runId = `activity-${activityId}:2026-03-01T09:00:00Z`;
  const input = {
    projectId,
    activityId,
    runId,
    trigger: 'schedule',
    scheduledFor: '2026-03-01T09:00:00Z',
    tasks: [{ type: 'noop', count: 2 }],
  };
  const { slots } = (await run(t, 'LogRun', input)) as { slots: unknown[] };
  return { projectId, activityId, runId, input, slots };
};

const run = (t: TestTwin, step: StepName, input: Record<string, unknown>) =>
  t.twin.functions.invoke(step, input);

export const stepFixtures: Record<StepName, StepFixture> = {
  CreateTenantRecord: async (t) => ({ ...(await seedProject(t)), plan: 'pro' }),
  CreateTenantStorage: async (t) => seedProject(t),
  RunMigrations: async (t) => {
    const input = await seedProject(t);
    await run(t, 'CreateTenantStorage', input);
    return input;
  },
  SendWelcomeEmail: async (t) => ({
    ...(await seedProject(t)),
    name: 'Fixture',
    ownerEmail: 'fixture@example.com',
  }),
  RecordMailFailed: async (t) => ({
    ...(await seedProject(t, freshProjectId(), 'active')),
    kind: 'welcome',
    failure: { Error: 'MailRejected', Cause: 'fixture' },
  }),
  StopSchedules: async (t) => {
    const { projectId } = await seedProject(t, freshProjectId(), 'active');
    const put = await t.api.put(`/projects/${projectId}/activities/${randomUUID()}`, {
      tasks: [{ type: 'noop', count: 1 }],
      schedule: 'cron(0 * * * ? *)',
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
    });
    if (put.status >= 300) throw new Error(`activity not stored: ${put.text}`);
    return { projectId };
  },
  SetProjectStatus: async (t) => ({
    ...(await seedProject(t)),
    from: ['provisioning'],
    to: 'failed',
    failure: { Error: 'InjectedFault', Cause: 'fixture' },
  }),
  DropTenantStorage: async (t) => {
    const input = await seedProject(t);
    await run(t, 'CreateTenantStorage', input);
    await run(t, 'RunMigrations', input);
    return input;
  },
  RevokeAllKeys: async (t) => {
    const input = await seedProject(t);
    for (const name of ['one', 'two'])
      await t.api.post(`/projects/${input.projectId}/keys`, { name });
    return input;
  },
  SendWebhook: async (t) => {
    const { projectId } = await seedProject(t, freshProjectId(), 'active');
    await t.api.put(`/projects/${projectId}/webhook`, { url: (await fixtureReceiver()).url });
    return pendingEvent(projectId);
  },
  MarkDeliveryFailed: async (t) =>
    pendingEvent((await seedProject(t, freshProjectId(), 'active')).projectId),
  Charge: async (t) => {
    const { projectId, orderId, terms, keys } = await order(t);
    return { projectId, orderId, ...terms, idempotencyKey: keys.charge };
  },
  Fulfil: async (t) => {
    const { projectId, orderId } = await order(t, ['Charge']);
    return { projectId, orderId };
  },
  SendReceipt: async (t) => {
    const { projectId, orderId, terms } = await order(t, ['Charge', 'Fulfil']);
    const { DynamoOrders } = await import('../../lambdas/lib/adapters/dynamo-orders.ts');
    const { documentClientOf } = await import('../../lambdas/lib/adapters/dynamodb.ts');
    const charged = await new DynamoOrders(documentClientOf(), t.twin.tables.platform).get(
      projectId,
      orderId,
    );
    const { amount, currency } = terms;
    return { projectId, orderId, amount, currency, chargeId: charged?.chargeId };
  },
  RevokeEntitlement: async (t) => {
    const { projectId, orderId } = await order(t, ['Charge', 'Fulfil']);
    return { projectId, orderId };
  },
  Refund: async (t) => {
    const { projectId, orderId, keys } = await order(t, ['Charge', 'Fulfil']);
    return { projectId, orderId, idempotencyKey: keys.refund };
  },
  SetOrderStatus: async (t) => {
    const { projectId, orderId } = await order(t);
    return {
      projectId,
      orderId,
      from: ['pending'],
      to: 'failed',
      failure: { Error: 'InjectedFault' },
    };
  },
  LogRun: async (t) => {
    const { projectId } = await seedProject(t, freshProjectId(), 'active');
    const activityId = randomUUID();
    return {
      projectId,
      activityId,
      runId: `activity-${activityId}:evt_1`,
      trigger: 'event',
      eventId: 'evt_1',
      tasks: [{ type: 'noop', count: 3 }],
    };
  },
  RunTask: async (t) => {
    const { projectId, runId, input, slots } = await loggedRun(t);
    return { projectId, runId, tasks: input.tasks, slot: slots[0] };
  },
  CompleteRun: async (t) => {
    const { projectId, runId, input, slots } = await loggedRun(t);
    for (const slot of slots)
      await run(t, 'RunTask', { projectId, runId, tasks: input.tasks, slot });
    return { run: input, startedAt: new Date().toISOString() };
  },
  SoftDeleteTenant: async (t) => {
    const input = await seedProject(t);
    await run(t, 'CreateTenantRecord', { ...input, plan: 'pro' });
    return input;
  },
};
