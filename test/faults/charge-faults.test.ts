import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { orderState, terms } from '../support/orders.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin({ stripeTimeoutMs: 200 });

afterEach(() => t.twin.faults.set(''));

/** Charges a fresh order of a fresh project under the given faults; returns the final state. */
const chargeUnder = async (faults: string, body = terms()) => {
  const { projectId } = await seedProject(t, undefined, 'active');
  const orderId = `order-${randomBytes(4).toString('hex')}`;
  t.twin.faults.set(faults);
  const accepted = await t.api.post(`/projects/${projectId}/orders/${orderId}/charge`, body);
  expect(accepted.status).toBe(202);
  await t.idle();
  return { projectId, orderId, ...(await orderState(t, projectId, orderId)) };
};

describe('charge-order under injected faults', () => {
  it.each([
    ['the provider response is lost once', 'provider.charge:lose-response:1'],
    ['the provider response is lost three times', 'provider.charge:lose-response:3'],
    ['the provider times out twice', 'provider.charge:timeout:2'],
    ['the Charge step loses its response', 'step.Charge:lose-response:2'],
    ['the provider fails before charging', 'provider.charge:fail:3'],
  ])('ends fulfilled with exactly one intent when %s', async (_, faults) => {
    const state = await chargeUnder(faults);

    expect(state.order.status).toBe('fulfilled');
    expect(state.intents).toHaveLength(1);
    expect(state.order.chargeId).toBe(state.intents[0]?.id);
    expect(state.refunds).toEqual([]);
    expect(state.receipts).toHaveLength(1);
  });

  it('refunds exactly once when Fulfil keeps failing after the charge', async () => {
    const state = await chargeUnder('step.Fulfil:fail');

    expect(state.order).toMatchObject({
      status: 'refunded',
      refundId: state.refunds[0] && expect.any(String),
    });
    expect(state.intents).toHaveLength(1);
    expect(state.refunds).toHaveLength(1);
    expect(state.receipts).toEqual([]);
    expect(state.executions[0]).toMatchObject({ status: 'FAILED', error: 'OrderRefunded' });
  });

  it('still refunds exactly once when the Refund step also loses its response', async () => {
    const state = await chargeUnder('step.Fulfil:fail,step.Refund:lose-response:3');

    expect(state.order.status).toBe('refunded');
    expect(state.refunds).toHaveLength(1);
    expect(state.order.refundId).toEqual(expect.stringMatching(/^re_/));
  });

  it.each([
    ['the receipt step keeps failing', 'step.SendReceipt:fail'],
    ['the mail service keeps rejecting', 'mail:fail'],
  ])(
    'keeps a paid order fulfilled when %s: the receipt is recorded as failed, nothing refunded',
    async (_, faults) => {
      const state = await chargeUnder(faults);
      const entitlements = (await t.scan('platform')).filter(
        (i) => i.pk === `PROJECT#${state.projectId}` && i.sk === `ENTITLEMENT#${state.orderId}`,
      );

      expect(state.order).toMatchObject({
        status: 'fulfilled',
        receiptEmail: { status: 'failed', error: expect.any(String) },
      });
      expect(state.intents).toHaveLength(1);
      expect(state.refunds).toEqual([]);
      expect(entitlements).toHaveLength(1);
      expect(state.receipts).toEqual([]);
      expect(state.mailFailures).toHaveLength(1);
      expect(state.executions[0]).toMatchObject({ status: 'SUCCEEDED' });
    },
  );

  it('marks the order failed, with nothing charged, when the provider never accepts the call', async () => {
    const state = await chargeUnder('provider.charge:fail');

    expect(state.order).toMatchObject({
      status: 'failed',
      failure: { error: 'PaymentProviderUnavailable' },
    });
    expect(state.intents).toEqual([]);
    expect(state.refunds).toEqual([]);
  });
});
