import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { orderState, terms } from '../support/orders.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin({ stripeTimeoutMs: 200 });

afterEach(() => t.twin.faults.set(''));

const DAY_AND_AN_HOUR = 25 * 60 * 60 * 1000;

const chargedOrder = async (faults = '') => {
  const { projectId } = await seedProject(t, undefined, 'active');
  const orderId = `order-${randomBytes(4).toString('hex')}`;
  t.twin.faults.set(faults);
  expect(
    (await t.api.post(`/projects/${projectId}/orders/${orderId}/charge`, terms())).status,
  ).toBe(202);
  await t.idle();
  t.twin.faults.set('');
  return { projectId, orderId };
};

describe('after the provider forgot an idempotency key (24 h)', () => {
  it('the fake really forgets: the same key charges again after 24 h', async () => {
    const { projectId, orderId } = await chargedOrder();
    t.twin.payments.advance(DAY_AND_AN_HOUR);
    const { paymentsFromEnv } = await import('../../lambdas/lib/adapters/stripe-payments.ts');
    await paymentsFromEnv().charge({
      amount: 2500,
      currency: 'usd',
      customerId: 'cus_test',
      paymentMethod: 'pm_card_visa',
      idempotencyKey: `charge-${projectId}-${orderId}`,
      metadata: { projectId, orderId },
    });
    // Counted by the order the provider records, not by key: this is what a re-drive must avoid.
    expect((await orderState(t, projectId, orderId)).intents).toHaveLength(2);
  });

  it('a re-driven Charge still charges once: our own charge record answers first', async () => {
    const { projectId, orderId } = await chargedOrder();
    t.twin.payments.advance(DAY_AND_AN_HOUR);

    const again = await t.twin.functions.invoke('Charge', {
      projectId,
      orderId,
      ...terms(),
      idempotencyKey: `charge-${projectId}-${orderId}`,
    });

    const state = await orderState(t, projectId, orderId);
    expect(state.intents).toHaveLength(1);
    expect(again).toEqual({ chargeId: state.intents[0]?.id });
  });

  it('a re-driven Refund still refunds once: the refund ledger answers first', async () => {
    const { projectId, orderId } = await chargedOrder('step.Fulfil:fail');
    expect((await orderState(t, projectId, orderId)).refunds).toHaveLength(1);
    t.twin.payments.advance(DAY_AND_AN_HOUR);

    await t.twin.functions.invoke('Refund', {
      projectId,
      orderId,
      idempotencyKey: `refund-${projectId}-${orderId}`,
    });

    const state = await orderState(t, projectId, orderId);
    expect(state.refunds).toHaveLength(1);
    expect(state.order.status).toBe('refunded');
  });
});
