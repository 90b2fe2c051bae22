import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowName } from '../../lambdas/lib/workflows.ts';
import { type Cell, cells, REACH } from '../support/fault-matrix/cells.ts';
import { type Observation, type Scenario, scenarios } from '../support/fault-matrix/scenarios.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { useTwin } from '../support/twin.ts';

/**
 * The fault matrix (docs/fault-matrix.md): every Task state × every step fault mode, each cell one
 * saga through the HTTP API with that fault armed once, compared with the same saga without it.
 */
const t = useTwin({ stripeTimeoutMs: 200 });
let receiver: Receiver;
let byWorkflow: Record<WorkflowName, Scenario>;
/** The fault-free observation per workflow and reach fault, made once and shared by its cells. */
const baselines = new Map<string, Observation>();

beforeAll(async () => {
  receiver = await startReceiver();
  byWorkflow = await scenarios(t, { receiver });
});
afterAll(() => receiver?.close());

const ACTIVE_TENANT = [
  'DATA#quotas',
  'DATA#retention',
  'DATA#settings',
  'MIGRATION#0001',
  'MIGRATION#0002',
  'MIGRATION#0003',
  'STORAGE',
  'TENANT',
];
const succeeded = { executions: ['SUCCEEDED'] };

/**
 * What each scenario does without a step fault (besides the fault that reaches a failure path),
 * by `workflow|reach fault`: the outcome each cell must reproduce. Effects are exactly once where
 * the outcome is success, and compensation happens only on the failure paths.
 */
const FAULT_FREE: Record<string, Observation> = {
  'provision-project|': {
    ...succeeded,
    status: 'active',
    welcomeEmail: null,
    welcomes: 1,
    tenantRows: ACTIVE_TENANT,
    softDeleted: false,
    audit: { 'project.provisioned': 1 },
  },
  'provision-project|mail:fail': {
    ...succeeded,
    status: 'active',
    welcomeEmail: 'failed',
    welcomes: 0,
    tenantRows: ACTIVE_TENANT,
    softDeleted: false,
    audit: { 'mail.failed': 1, 'project.provisioned': 1 },
  },
  'provision-project|step.RunMigrations:fail': {
    executions: ['FAILED:ProvisioningFailed'],
    status: 'failed',
    welcomeEmail: null,
    welcomes: 0,
    tenantRows: ['TENANT'],
    softDeleted: true,
    audit: { 'project.failed': 1 },
  },
  'deprovision-project|': {
    ...succeeded,
    status: 'deleted',
    keys: 2,
    liveKeys: 0,
    schedules: 0,
    tenantRows: ['TENANT'],
    softDeleted: true,
    audit: {
      'project.provisioned': 1,
      'key.created': 2,
      'project.deletion_requested': 1,
      'key.revoked': 2,
      'project.deleted': 1,
    },
  },
  'deliver-webhook|': { ...succeeded, status: 'delivered', accepted: 1 },
  'deliver-webhook|webhook:fail': {
    executions: ['FAILED:WebhookDeliveryFailed'],
    status: 'failed',
    accepted: 0,
  },
  'charge-order|': {
    ...succeeded,
    status: 'fulfilled',
    intents: 1,
    charged: 1,
    refunds: 0,
    receipts: 1,
    entitlements: 1,
    audit: {},
  },
  'charge-order|mail:fail': {
    ...succeeded,
    status: 'fulfilled',
    intents: 1,
    charged: 1,
    refunds: 0,
    receipts: 0,
    entitlements: 1,
    audit: { 'mail.failed': 1 },
  },
  'charge-order|step.Fulfil:lose-response': {
    executions: ['FAILED:OrderRefunded'],
    status: 'refunded',
    intents: 1,
    charged: 1,
    refunds: 1,
    receipts: 0,
    entitlements: 0,
    audit: {},
  },
  'charge-order|step.Charge:fail': {
    executions: ['FAILED:ChargeFailed'],
    status: 'failed',
    intents: 0,
    charged: 0,
    refunds: 0,
    receipts: 0,
    entitlements: 0,
    audit: {},
  },
  'run-activity|': {
    ...succeeded,
    runs: 1,
    status: 'succeeded',
    tasks: ['succeeded', 'succeeded', 'succeeded'],
    taskRecords: 3,
    pings: 1,
  },
};

/** Runs one saga under `faults`; answers what it did and whether each armed fault fired. */
const run = async (workflow: WorkflowName, faults: string[]) => {
  const scenario = byWorkflow[workflow];
  await scenario.prepare?.();
  t.twin.faults.set(faults.join(','));
  const handle = await scenario.start();
  await t.idle();
  const unfired = t.twin.faults.list().filter((f) => f.remaining !== 0 && f.remaining !== null);
  t.twin.faults.set('');
  return { observed: await scenario.observe(handle), unfired };
};

const baseline = async (workflow: WorkflowName, reach: string | undefined) => {
  const key = `${workflow}|${reach ?? ''}`;
  let observed = baselines.get(key);
  if (!observed) {
    observed = (await run(workflow, reach ? [reach] : [])).observed;
    // The fault-free run is itself checked: the matrix compares every cell with it.
    expect(observed, `fault-free ${key}`).toEqual(FAULT_FREE[key]);
    baselines.set(key, observed);
  }
  return observed;
};

/** The fault-free observation with the exception's allowance applied where the cell differs. */
const allowed = (cell: Cell, expected: Observation, observed: Observation): Observation => {
  const merged = { ...expected };
  for (const [field, most] of Object.entries(cell.exception?.atMost ?? {})) {
    const value = observed[field];
    if (typeof value === 'number' && value >= Number(expected[field]) && value <= most) {
      merged[field] = value;
    }
  }
  return merged;
};

const all = cells();
const workflowsInMatrix = [...new Set(all.map((c) => c.workflow))];

describe.each(workflowsInMatrix)('fault matrix: %s', (workflow) => {
  it.each(all.filter((c) => c.workflow === workflow).map((c) => [`${c.state} ${c.mode}`, c]))(
    '%s ends as without the fault, every effect once',
    async (_, cell) => {
      const reach = REACH[cell.workflow][cell.state];
      const expected = await baseline(cell.workflow, reach);
      const fault = `step.${cell.state}:${cell.mode}:1`;
      const { observed, unfired } = await run(cell.workflow, [fault, ...(reach ? [reach] : [])]);
      // The cell tested something: its fault fired (the state was reached and invoked).
      expect(
        unfired.map((f) => f.target),
        `${fault} never fired`,
      ).toEqual([]);
      expect(observed).toEqual(allowed(cell, expected, observed));
    },
  );
});
