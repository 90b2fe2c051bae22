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

it('every saga ends in a terminal state in the fault-free runs', () => {
  for (const observed of baselines.values()) {
    for (const execution of observed.executions as string[]) {
      expect(execution).not.toBe('RUNNING');
    }
  }
});
