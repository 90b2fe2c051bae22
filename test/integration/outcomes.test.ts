import { afterEach, describe, expect, it, vi } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import type { WorkflowName } from '../../lambdas/lib/workflows.ts';
import { captureOutput } from '../support/capture-output.ts';
import { activeProject } from '../support/projects.ts';
import { startReceiver } from '../support/receiver.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

// The Metrics instance reads this when lambdas/lib/observability.ts is first imported, which the
// twin's own modules do before any hook runs: it is set before every import.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

const t = useTwin({ logLevel: 'DEBUG', metrics: true });
const chunks = captureOutput();

afterEach(() => t.twin.faults.set(''));

/** Every JSON line written since `from` (a position in `chunks`). */
const jsonSince = (from: number): Record<string, unknown>[] =>
  chunks
    .slice(from)
    .flatMap((chunk) => chunk.split('\n'))
    .flatMap((line) => {
      try {
        const value = JSON.parse(line);
        return typeof value === 'object' && value !== null ? [value] : [];
      } catch {
        return [];
      }
    });

/** The metrics published since `from` (EMF lines), summed by name; zero sums left out. */
const metricsSince = (from: number): Record<string, number> => {
  const sums: Record<string, number> = {};
  for (const line of jsonSince(from)) {
    const emf = line._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
    for (const { Name } of emf?.CloudWatchMetrics?.flatMap((d) => d.Metrics) ?? []) {
      const values = [line[Name]].flat() as number[];
      sums[Name] = (sums[Name] ?? 0) + values.reduce((a, b) => a + b, 0);
    }
  }
  return sums;
};

/** Business outcomes only: the HTTP layer's idempotency metrics are not what is counted here. */
const outcomesSince = (from: number) =>
  Object.fromEntries(
    Object.entries(metricsSince(from)).filter(([name]) => !name.startsWith('Idempoten')),
  );

const executionsOf = (
  workflow: WorkflowName,
  filter: (input: Record<string, unknown>) => boolean,
) =>
  t.twin.executions.list(localStateMachineArn(workflow)).filter((e) => filter(JSON.parse(e.input)));

/** True when the state was retried in one of the executions: the fault did cause a retry. */
const retried = (executions: { events: { type: string; state?: string }[] }[], state: string) =>
  executions.some((e) => e.events.some((ev) => ev.type === 'StateRetried' && ev.state === state));

const PROVISION_STEPS = [
  'CreateTenantRecord',
  'CreateTenantStorage',
  'RunMigrations',
  'SetProjectStatus',
  'SendWelcomeEmail',
];

/** Log lines of the provision-project steps since `from`. */
const stepLinesSince = (from: number) =>
  jsonSince(from).filter(
    (line) => PROVISION_STEPS.includes(String(line.function_name)) && 'level' in line,
  );

describe('one correlation id per request', () => {
  it("carries the API request id into the execution input and onto every line of the saga's steps", async () => {
    const from = chunks.length;
    const created = await t.api.post(
      '/projects',
      { name: 'Traced', ownerEmail: 'ops@traced.example' },
      { key: 'traced-1' },
    );
    expect(created.status).toBe(202);
    const requestId = created.headers.get('x-amzn-requestid');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await t.idle();

    const [execution] = executionsOf('provision-project', (i) => i.projectId === created.body.id);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution?.input ?? '{}').correlationId).toBe(requestId);
    const lines = stepLinesSince(from);
    expect(new Set(lines.map((line) => line.function_name))).toEqual(new Set(PROVISION_STEPS));
    expect(lines.filter((line) => line.correlation_id !== requestId)).toEqual([]);
  });

  it('fails an execution whose input has no correlationId at its first state, before any effect', async () => {
    // Every starter in lambdas/ passes one (the tests above and the starters' own tests); an
    // input written by hand without it is refused by the first Task's Parameters, as in AWS.
    // A fallback state would have cost every execution of every saga a billed transition.
    const { projectId } = await seedProject(t);
    t.twin.executions.start({
      stateMachineArn: localStateMachineArn('provision-project'),
      name: `provision-${projectId}-by-hand`,
      input: JSON.stringify({ projectId, name: 'Old', ownerEmail: 'old@example.com', plan: 'pro' }),
    });
    await t.idle();

    const [execution] = executionsOf('provision-project', (i) => i.projectId === projectId);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const tenant = (await t.scan('platform')).filter((i) => i.pk === `TENANT#${projectId}`);
    expect(tenant).toEqual([]);
  });
});

describe('business metrics, once per outcome even when a step is retried', () => {
  it('counts a provisioned project once though MarkActive lost its answer and ran again', async () => {
    t.twin.faults.set('step.MarkActive:lose-response:1');
    const from = chunks.length;
    const projectId = await activeProject(t, 'CountedOnce');

    expect(outcomesSince(from)).toEqual({ ProjectsProvisioned: 1 });
    expect(
      retried(
        executionsOf('provision-project', (i) => i.projectId === projectId),
        'MarkActive',
      ),
    ).toBe(true);
  });

  it('counts a failed provisioning once though MarkFailed lost its answer and ran again', async () => {
    t.twin.faults.set('step.RunMigrations:fail,step.MarkFailed:lose-response:1');
    const from = chunks.length;
    const created = await t.api.post('/projects', { name: 'Doomed', ownerEmail: 'd@example.com' });
    await t.idle();

    expect((await t.api.get(`/projects/${created.body.id}`)).body.status).toBe('failed');
    expect(outcomesSince(from)).toEqual({ ProvisioningFailed: 1 });
    expect(
      retried(
        executionsOf('provision-project', (i) => i.projectId === created.body.id),
        'MarkFailed',
      ),
    ).toBe(true);
  });

  describe('charges', () => {
    const charge = async (orderId: string, paymentMethod: string, faults: string) => {
      const projectId = await activeProject(t, `Shop-${orderId}`);
      t.twin.faults.set(faults);
      const from = chunks.length;
      const accepted = await t.api.post(`/projects/${projectId}/orders/${orderId}/charge`, {
        amount: 1200,
        currency: 'eur',
        customerId: 'cus_1',
        paymentMethod,
      });
      expect(accepted.status).toBe(202);
      await t.idle();
      const executions = executionsOf('charge-order', (i) => i.orderId === orderId);
      return { from, executions, projectId };
    };

    it('counts a charge once though Charge ran twice at once', async () => {
      const { from } = await charge('o-paid', 'pm_card_visa', 'step.Charge:duplicate:1');
      expect(outcomesSince(from)).toEqual({ ChargesSucceeded: 1 });
    });

    it('counts a decline once though Charge ran twice at once', async () => {
      const { from } = await charge(
        'o-declined',
        'pm_card_chargeDeclined',
        'step.Charge:duplicate:1',
      );
      expect(outcomesSince(from)).toEqual({ ChargesDeclined: 1 });
    });

    it('counts a refund once though Refund ran twice at once', async () => {
      const { from, executions } = await charge(
        'o-refunded',
        'pm_card_visa',
        'step.Fulfil:fail:5,step.Refund:duplicate:1',
      );
      expect(executions[0]?.error).toBe('OrderRefunded');
      expect(outcomesSince(from)).toEqual({ ChargesSucceeded: 1, Refunds: 1 });
    });
  });

  describe('webhooks', () => {
    const deliver = async (eventId: string, answers: number[], faults: string) => {
      const receiver = await startReceiver(answers);
      const projectId = await activeProject(t, `Hooked-${eventId}`);
      await t.api.put(`/projects/${projectId}/webhook`, { url: receiver.url });
      t.twin.faults.set(faults);
      const from = chunks.length;
      await t.api.post(`/projects/${projectId}/events`, { id: eventId, type: 'a.b', data: {} });
      await t.idle();
      await receiver.close();
      const executions = executionsOf('deliver-webhook', (i) => i.eventId === eventId);
      return { from, executions };
    };

    it('counts a delivery once though the delivering step lost its answer and ran again', async () => {
      const { from, executions } = await deliver('evt-ok', [], 'step.Deliver:lose-response:1');
      expect(retried(executions, 'Deliver')).toBe(true);
      expect(outcomesSince(from)).toEqual({ WebhooksDelivered: 1 });
    });

    it('counts a failed delivery once though MarkFailed lost its answer and ran again', async () => {
      const { from, executions } = await deliver(
        'evt-refused',
        Array(20).fill(500),
        'step.MarkFailed:lose-response:1',
      );
      expect(retried(executions, 'MarkFailed')).toBe(true);
      expect(outcomesSince(from)).toEqual({ WebhooksFailed: 1 });
    });
  });

  it('counts a run once though LogRun ran again, and the slots a skip policy dropped once though the fire came twice', async () => {
    const projectId = await activeProject(t, 'Scheduled');
    const activityId = '4f0c2b1e-8a5d-4c1e-9a43-1b2c3d4e5f61';
    const put = await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
      schedule: 'cron(0 * * * ? *)',
      timezone: 'UTC',
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      tasks: [{ type: 'noop', count: 1 }],
    });
    expect(put.status).toBeLessThan(300);
    const fire = (scheduledFor: string) =>
      t.api.post('/_dev/scheduler/fire', { projectId, activityId, scheduledFor });

    t.twin.faults.set('step.LogRun:lose-response:1');
    const first = chunks.length;
    await fire('2026-03-01T09:00:00Z');
    await t.idle();
    expect(outcomesSince(first)).toEqual({ RunsStarted: 1 });
    expect(
      retried(
        executionsOf('run-activity', (i) => i.projectId === projectId),
        'LogRun',
      ),
    ).toBe(true);

    // 10:00 and 11:00 were missed: the 12:00 fire, delivered twice at once, skips them once.
    const late = chunks.length;
    await Promise.all([fire('2026-03-01T12:00:00Z'), fire('2026-03-01T12:00:00Z')]);
    await t.idle();
    expect(outcomesSince(late)).toEqual({ RunsStarted: 1, RunsSkipped: 2 });
  });
});
