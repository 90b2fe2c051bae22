import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderState, terms } from '../support/orders.ts';
import { checkSequences, propertyRuns } from '../support/property.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

/** 200 sequences in `npm test` (or as many as its time budget allows, at least 20); `npm run test:long` raises it. */
const RUNS = propertyRuns('RETRYSAFE_PROPERTY_RUNS', 200);

const t = useTwin({ stripeTimeoutMs: 100 });
let projectId: string;
let orders = 0;

beforeAll(async () => {
  projectId = (await seedProject(t, undefined, 'active')).projectId;
});

const count = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });
const steps = ['Charge', 'Fulfil', 'SendReceipt', 'RevokeEntitlement', 'Refund'];

/**
 * A fault, in `RETRYSAFE_FAULTS` syntax (docs/twin.md). Step faults may be permanent; provider outages that leave the
 * charge's outcome unknown (lost responses, timeouts) end within a few calls, as real ones do —
 * an endless one is the documented limit of any provider key.
 */
const fault = fc.oneof(
  fc.record({
    target: fc.constantFrom(...steps.map((s) => `step.${s}`)),
    mode: fc.constantFrom('fail', 'lose-response'),
    n: count,
  }),
  fc.record({
    target: fc.constant('provider.charge'),
    mode: fc.constantFrom('lose-response', 'timeout'),
    n: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({ target: fc.constant('provider.charge'), mode: fc.constant('fail'), n: count }),
);
const spec = (f: { target: string; mode: string; n: number | undefined }) =>
  `${f.target}:${f.mode}${f.n ? `:${f.n}` : ''}`;

/** Sagas run side by side per batch; each order's faults are scoped to it. */
const CONCURRENCY = 40;

describe('charge-order under random fault sequences (fast-check)', () => {
  it(`never charges or refunds twice, refunds only what it charged, and agrees with the provider (${RUNS} sequences)`, async () => {
    const checked = await checkSequences(
      fc.record({ faults: fc.array(fault, { maxLength: 3 }), declined: fc.boolean() }),
      async ({ faults, declined }) => {
        orders += 1;
        const orderId = `prop-order-${orders}`;
        t.twin.faults.setFor(orderId, faults.map(spec).join(','));
        const accepted = await t.api.post(
          `/projects/${projectId}/orders/${orderId}/charge`,
          terms(declined ? { paymentMethod: 'pm_card_chargeDeclined' } : {}),
        );
        return async () => {
          t.twin.faults.setFor(orderId, '');
          const { order, intents, refunds } = await orderState(t, projectId, orderId);
          const charged = intents.filter((i) => i.status === 'succeeded');

          expect(accepted.status).toBe(202);
          expect(intents.length).toBeLessThanOrEqual(1);
          expect(refunds.length).toBeLessThanOrEqual(1);
          if (refunds.length > 0) expect(refunds[0]?.payment_intent).toBe(charged[0]?.id);
          if (order.status === 'fulfilled' || order.status === 'charged') {
            expect([charged.length, refunds.length]).toEqual([1, 0]);
            expect(order.chargeId).toBe(charged[0]?.id);
          } else if (order.status === 'refunded') {
            expect([charged.length, refunds.length]).toEqual([1, 1]);
          } else {
            // `pending` is where a permanently failing compensation leaves an uncharged order.
            expect(['declined', 'failed', 'pending']).toContain(order.status);
            expect([charged.length, refunds.length]).toEqual([0, 0]);
          }
          if (declined) expect(['declined', 'failed', 'pending']).toContain(order.status);
        };
      },
      () => t.idle(),
      { sequences: RUNS, minSequences: 20, concurrency: CONCURRENCY },
    );
    console.info(`charge property: ${checked.sequences} of ${RUNS} sequences`);
  }, 900_000);
});
