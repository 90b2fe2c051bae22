/**
 * How the fault matrix drives each workflow through the HTTP API and what it counts afterwards.
 * An observation holds only outcomes and effect counts (no ids, no timestamps), so the run of a
 * cell can be compared field by field with the fault-free run of the same scenario.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { localStateMachineArn } from '../../../infra/local/aws/constants.ts';
import type { WorkflowName } from '../../../lambdas/lib/workflows.ts';
import { orderState, terms } from '../orders.ts';
import { projectToDelete } from '../projects.ts';
import type { Receiver } from '../receiver.ts';
import { seedProject } from '../step-fixtures.ts';
import type { TestTwin } from '../twin.ts';

export type Observation = Record<string, unknown>;

export interface Scenario {
  /** Builds what the next `start` needs before any fault is armed (optional). */
  prepare?(): Promise<void>;
  /** Starts one saga through the API (faults are armed already); answers what to observe later. */
  start(): Promise<string>;
  /** What that saga did, once no execution is running. */
  observe(id: string): Promise<Observation>;
}

/** `SUCCEEDED`, or `FAILED:<error>`, for every execution whose input matches. */
const executions = (
  t: TestTwin,
  workflow: WorkflowName,
  matches: (input: Record<string, unknown>) => boolean,
): string[] =>
  t.twin.executions
    .list(localStateMachineArn(workflow))
    .filter((e) => matches(JSON.parse(e.input)))
    .map((e) => (e.status === 'FAILED' ? `FAILED:${e.error}` : e.status))
    .sort();

/** How many times each audit action was recorded for a project (optionally about one order). */
const auditCounts = async (t: TestTwin, projectId: string, orderId?: string) => {
  const entries = (await t.api.get(`/projects/${projectId}/audit`)).body.entries as {
    action: string;
    details?: { orderId?: string };
  }[];
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    if (orderId !== undefined && entry.details?.orderId !== orderId) continue;
    counts[entry.action] = (counts[entry.action] ?? 0) + 1;
  }
  return counts;
};

const tenantRows = async (t: TestTwin, projectId: string) => {
  const rows = (await t.scan('platform')).filter((i) => i.pk === `TENANT#${projectId}`);
  return {
    tenantRows: rows.map((i) => String(i.sk)).sort(),
    softDeleted: rows.find((i) => i.sk === 'TENANT')?.deletedAt !== undefined,
  };
};

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

const provisioning = (t: TestTwin): Scenario => ({
  start: async () => {
    const n = next();
    const created = await t.api.post('/projects', {
      name: `Matrix ${n}`,
      ownerEmail: `owner-${n}@example.com`,
    });
    expect(created.status).toBe(202);
    return `${created.body.id}|owner-${n}@example.com`;
  },
  observe: async (handle) => {
    const [projectId = '', owner] = handle.split('|');
    const project = (await t.api.get(`/projects/${projectId}`)).body;
    const mail = (await t.api.get('/_dev/mail')).body as { to: string; subject: string }[];
    return {
      executions: executions(t, 'provision-project', (i) => i.projectId === projectId),
      status: project.status,
      welcomeEmail: project.welcomeEmail?.status ?? null,
      welcomes: mail.filter((m) => m.to === owner && m.subject.startsWith('Welcome')).length,
      ...(await tenantRows(t, projectId)),
      audit: await auditCounts(t, projectId),
    };
  },
});

const charging = (t: TestTwin, projectId: string): Scenario => ({
  start: async () => {
    const orderId = `matrix-${next()}`;
    const accepted = await t.api.post(`/projects/${projectId}/orders/${orderId}/charge`, terms());
    expect(accepted.status).toBe(202);
    return orderId;
  },
  observe: async (orderId) => {
    const state = await orderState(t, projectId, orderId);
    const entitlements = (await t.scan('platform')).filter(
      (i) => i.pk === `PROJECT#${projectId}` && i.sk === `ENTITLEMENT#${orderId}`,
    );
    return {
      executions: executions(t, 'charge-order', (i) => i.orderId === orderId),
      status: state.order.status,
      intents: state.intents.length,
      charged: state.intents.filter((i) => i.status === 'succeeded').length,
      refunds: state.refunds.length,
      receipts: state.receipts.length,
      entitlements: entitlements.length,
      audit: await auditCounts(t, projectId, orderId),
    };
  },
});

/** An active project with two keys and an hourly activity (so it has a schedule), then DELETE. */
const deprovisioning = (t: TestTwin): Scenario => {
  const prepared: string[] = [];
  return {
    start: async () => {
      const projectId = prepared.shift() ?? '';
      expect((await t.api.delete(`/projects/${projectId}`)).status).toBe(202);
      return projectId;
    },
    observe: async (projectId) => {
      const keys = (await t.api.get(`/projects/${projectId}/keys`)).body.keys as {
        revokedAt?: string;
      }[];
      const schedules = (await t.api.get('/_dev/schedules')).body as { projectId?: string }[];
      return {
        executions: executions(t, 'deprovision-project', (i) => i.projectId === projectId),
        status: (await t.api.get(`/projects/${projectId}`)).body.status,
        keys: keys.length,
        liveKeys: keys.filter((k) => !k.revokedAt).length,
        schedules: schedules.filter((s) => s.projectId === projectId).length,
        ...(await tenantRows(t, projectId)),
        audit: await auditCounts(t, projectId),
      };
    },
    /** The fixture is built before the faults are armed, so they hit deprovisioning only. */
    prepare: async () => {
      const projectId = await projectToDelete(t, `D${next()}`);
      await t.idle(); // its welcome e-mail too, before any fault is armed
      prepared.push(projectId);
    },
  };
};

const delivery = (t: TestTwin, projectId: string, receiver: Receiver): Scenario => ({
  start: async () => {
    const eventId = `evt-matrix-${next()}`;
    const posted = await t.api.post(`/projects/${projectId}/events`, {
      id: eventId,
      type: 'order.paid',
      data: { eventId },
    });
    expect(posted.status).toBe(202);
    return eventId;
  },
  observe: async (eventId) => {
    const event = (await t.api.get(`/projects/${projectId}/events/${eventId}`)).body;
    return {
      executions: executions(t, 'deliver-webhook', (i) => i.eventId === eventId),
      status: event.delivery?.status,
      // The receiver answers 200 to every POST: each one it got was accepted.
      accepted: receiver.requests.filter((r) => r.headers['webhook-id'] === eventId).length,
    };
  },
});

/** One hourly activity (two noop tasks, one http-ping); each cell fires a new slot. */
const activityRuns = (
  t: TestTwin,
  projectId: string,
  activityId: string,
  receiver: Receiver,
): Scenario => {
  const pings = new Map<string, number>();
  return {
    start: async () => {
      const scheduledFor = new Date(Date.UTC(2026, 2, 1) + next() * 3_600_000).toISOString();
      const before = receiver.requests.length;
      const fired = await t.api.post('/_dev/scheduler/fire', {
        projectId,
        activityId,
        scheduledFor,
      });
      expect(fired.status).toBe(200);
      pings.set(scheduledFor, before);
      return scheduledFor;
    },
    observe: async (scheduledFor) => {
      const runs = (await t.api.get(`/projects/${projectId}/activities/${activityId}/runs`)).body
        .runs as { scheduledFor?: string; status: string; tasks: { status: string }[] }[];
      const slot = runs.filter((r) => r.scheduledFor?.startsWith(scheduledFor.slice(0, 19)));
      const taskRows = (await t.scan('platform')).filter(
        (i) =>
          i.pk === `PROJECT#${projectId}` &&
          String(i.sk).startsWith(`TASK#task-activity-${activityId}:${slot[0]?.scheduledFor}`),
      );
      return {
        executions: executions(
          t,
          'run-activity',
          (i) =>
            JSON.stringify(i).includes(activityId) &&
            JSON.stringify(i).includes(scheduledFor.slice(0, 13)),
        ),
        runs: slot.length,
        status: slot[0]?.status,
        tasks: (slot[0]?.tasks ?? []).map((task) => task.status).sort(),
        taskRecords: taskRows.length,
        // Cells run one after another, so every GET since this fire belongs to this run.
        pings: receiver.requests.length - (pings.get(scheduledFor) ?? 0),
      };
    },
  };
};

export interface ScenarioContext {
  readonly receiver: Receiver;
}

/** Builds the scenario of each workflow (with its fixtures) on one twin. */
export const scenarios = async (
  t: TestTwin,
  { receiver }: ScenarioContext,
): Promise<Record<WorkflowName, Scenario>> => {
  const { projectId } = await seedProject(t, undefined, 'active');
  expect((await t.api.put(`/projects/${projectId}/webhook`, { url: receiver.url })).status).toBe(
    200,
  );
  const activityId = randomUUID();
  const put = await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
    tasks: [
      { type: 'noop', count: 2 },
      { type: 'http-ping', count: 1, url: receiver.url },
    ],
    schedule: 'cron(0 * * * ? *)',
    misfirePolicy: 'skip',
    dedupeKeyStrategy: 'skip',
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return {
    'provision-project': provisioning(t),
    'deprovision-project': deprovisioning(t),
    'deliver-webhook': delivery(t, projectId, receiver),
    'charge-order': charging(t, projectId),
    'run-activity': activityRuns(t, projectId, activityId, receiver),
  };
};
