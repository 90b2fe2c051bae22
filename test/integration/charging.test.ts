import { describe, expect, it } from 'vitest';
import { orderState, terms } from '../support/orders.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

const activeProject = async () => (await seedProject(t, undefined, 'active')).projectId;
const charge = (projectId: string, orderId: string, body: unknown = terms()) =>
  t.api.post(`/projects/${projectId}/orders/${orderId}/charge`, body);

describe('POST …/orders/{orderId}/charge → charge-order', () => {
  it('accepts with 202 pending, then charges, fulfils and sends one receipt', async () => {
    const projectId = await activeProject();
    const accepted = await charge(projectId, 'o-1');
    await t.idle();
    const state = await orderState(t, projectId, 'o-1');

    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      orderId: 'o-1',
      status: 'pending',
      amount: 2500,
      currency: 'usd',
    });
    expect(accepted.headers.get('location')).toBe(`/v1/projects/${projectId}/orders/o-1`);
    expect(state.order).toEqual({
      orderId: 'o-1',
      status: 'fulfilled',
      amount: 2500,
      currency: 'usd',
      chargeId: state.intents[0]?.id,
    });
    expect(state.intents.map((i) => i.status)).toEqual(['succeeded']);
    expect(state.receipts).toHaveLength(1);
    expect(state.refunds).toEqual([]);
  });

  it('makes one intent, one execution and one receipt from 100 concurrent identical requests', async () => {
    const projectId = await activeProject();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => charge(projectId, 'burst')),
    );
    await t.idle();
    const state = await orderState(t, projectId, 'burst');

    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    expect(responses.every((r) => r.status === 202 || r.status === 409)).toBe(true);
    expect(state.intents).toHaveLength(1);
    expect(state.executions).toHaveLength(1);
    expect(state.receipts).toHaveLength(1);
    expect(state.order.status).toBe('fulfilled');
  });

  it('replays the same order and body, and answers 422 for the same order with another body', async () => {
    const projectId = await activeProject();
    const first = await charge(projectId, 'same');
    const again = await charge(projectId, 'same');
    const other = await charge(projectId, 'same', terms({ amount: 9999 }));
    await t.idle();

    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(other.status).toBe(422);
    expect((await orderState(t, projectId, 'same')).intents).toHaveLength(1);
  });

  it('declines once: one provider call, no retry, no refund, status declined', async () => {
    const projectId = await activeProject();
    const before = (await orderState(t, projectId, 'declined')).calls;
    await charge(projectId, 'declined', terms({ paymentMethod: 'pm_card_chargeDeclined' }));
    await t.idle();
    const state = await orderState(t, projectId, 'declined');

    expect(state.calls - before).toBe(1);
    expect(state.order).toMatchObject({
      status: 'declined',
      failure: { error: 'PaymentDeclined', cause: 'generic_decline' },
    });
    expect(state.refunds).toEqual([]);
    expect(state.receipts).toEqual([]);
    expect(state.executions[0]).toMatchObject({ status: 'FAILED', error: 'PaymentDeclined' });
  });

  it("charges the customer's default payment method when none is sent", async () => {
    const projectId = await activeProject();
    await charge(projectId, 'default-pm', terms({ paymentMethod: undefined }));
    await t.idle();
    expect((await orderState(t, projectId, 'default-pm')).order.status).toBe('fulfilled');
  });

  it.each([
    ['a zero amount', { amount: 0 }],
    ['a fractional amount', { amount: 1.5 }],
    ['an uppercase currency', { currency: 'USD' }],
    ['an unknown currency', { currency: 'xyz' }],
    ['no customer', { customerId: undefined }],
  ])('refuses %s with 400 and starts nothing', async (_, override) => {
    const projectId = await activeProject();
    const response = await charge(projectId, 'bad', terms(override));
    expect(response.status).toBe(400);
    expect((await t.api.get(`/projects/${projectId}/orders/bad`)).status).toBe(404);
  });

  it('refuses an order id outside [A-Za-z0-9_-]{1,64} with 400', async () => {
    const projectId = await activeProject();
    expect((await charge(projectId, 'o'.repeat(65))).status).toBe(400);
    expect((await charge(projectId, 'bad.id')).status).toBe(400);
  });
});
