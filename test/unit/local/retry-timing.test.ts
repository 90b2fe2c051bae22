import { describe, expect, it } from 'vitest';
import {
  loadWorkflows,
  retryWindowSeconds,
} from '../../../infra/local/stepfunctions/definitions.ts';
import {
  CLAIM_LEASE_SECONDS,
  MAIL_OUTAGE_SECONDS,
  STEP_FUNCTION_TIMEOUT_SECONDS,
} from '../../../lambdas/lib/retry-timing.ts';

/** Task states whose function claims its effect with the once-ledger (a lease). */
const CLAIMING_FUNCTIONS = new Set(['SendWelcomeEmail', 'SendReceipt']);

const claimingTasks = loadWorkflows(1).flatMap((workflow) =>
  [...workflow.tasks]
    .filter(([, fn]) => CLAIMING_FUNCTIONS.has(fn))
    .map(([state]) => {
      const definition = workflow.definition.States[state];
      if (!definition) throw new Error(`${workflow.name} has no state ${state}`);
      return { label: `${workflow.name}/${state}`, definition };
    }),
);

describe('claim lease, task timeout and retry schedule agree', () => {
  it('finds every claiming task', () => {
    expect(claimingTasks.map((t) => t.label).sort()).toEqual([
      'charge-order/SendReceipt',
      'provision-project/SendWelcomeEmail',
    ]);
  });

  it('lets a killed attempt die before its lease ends', () => {
    expect(STEP_FUNCTION_TIMEOUT_SECONDS).toBeLessThan(CLAIM_LEASE_SECONDS);
  });

  it.each(claimingTasks)(
    '$label retries past the lease plus a mail outage, without jitter',
    ({ definition }) => {
      const catchAll = definition.Retry?.find((r) =>
        (r as { ErrorEquals?: string[] }).ErrorEquals?.includes('States.ALL'),
      ) as (NonNullable<typeof definition.Retry>[number] & { JitterStrategy?: string }) | undefined;
      expect(catchAll).toBeDefined();
      if (!catchAll) return;
      // FULL jitter could shrink the window to nothing; the window must be a floor, not a mean.
      expect(catchAll.JitterStrategy ?? 'NONE').toBe('NONE');
      expect(retryWindowSeconds(catchAll)).toBeGreaterThan(
        CLAIM_LEASE_SECONDS + MAIL_OUTAGE_SECONDS,
      );
      expect(definition.TimeoutSeconds ?? 60).toBeGreaterThan(STEP_FUNCTION_TIMEOUT_SECONDS);
    },
  );

  it('retries a RunTask held by another attempt until that attempt’s lease has passed', () => {
    const runTask = loadWorkflows(1).find((w) => w.name === 'run-activity')?.definition.States
      .RunTasks?.ItemProcessor?.States.RunTask;
    const catchAll = runTask?.Retry?.find((r) =>
      (r as { ErrorEquals?: string[] }).ErrorEquals?.includes('States.ALL'),
    ) as
      | (NonNullable<NonNullable<typeof runTask>['Retry']>[number] & { JitterStrategy?: string })
      | undefined;
    expect(catchAll).toBeDefined();
    if (!catchAll) return;
    expect(catchAll.JitterStrategy ?? 'NONE').toBe('NONE');
    expect(retryWindowSeconds(catchAll)).toBeGreaterThan(CLAIM_LEASE_SECONDS);
    expect(runTask?.TimeoutSeconds ?? 60).toBeGreaterThan(STEP_FUNCTION_TIMEOUT_SECONDS);
  });

  it('keeps the twin’s retry window the same as AWS’s, scaled', () => {
    const [aws, twin] = [loadWorkflows(1), loadWorkflows(0.01)];
    const windowMs = (intervals: readonly number[] | undefined, attempts: number) =>
      (intervals?.[1] ?? 0) * attempts;
    const receiptAws = aws.find((w) => w.name === 'charge-order')?.retryIntervals.SendReceipt;
    const receiptTwin = twin.find((w) => w.name === 'charge-order')?.retryIntervals.SendReceipt;
    expect(windowMs(receiptAws, 10)).toBeCloseTo(870_000, -2);
    expect(windowMs(receiptTwin, 10)).toBeCloseTo(8_700, -1);
  });
});
