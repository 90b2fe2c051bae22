import { localStateMachineArn } from '../../infra/local/constants.ts';
import type { TestTwin } from './twin.ts';

/** Charge request terms; Visa by default (succeeds in the fake). */
export const terms = (overrides: Record<string, unknown> = {}) => ({
  amount: 2500,
  currency: 'usd',
  customerId: 'cus_test',
  paymentMethod: 'pm_card_visa',
  ...overrides,
});

/** What the provider fake holds for one order, and what the twin recorded about it. */
export const orderState = async (t: TestTwin, projectId: string, orderId: string) => {
  const payments = (await t.api.get('/_dev/payments')).body as {
    paymentIntents: {
      id: string;
      status: string;
      idempotencyKey: string;
      metadata: { orderId?: string };
    }[];
    refunds: { payment_intent: string; idempotencyKey: string }[];
    calls: number;
  };
  const intents = payments.paymentIntents.filter(
    (i) => i.idempotencyKey === `charge-${projectId}-${orderId}`,
  );
  const refunds = payments.refunds.filter(
    (r) => r.idempotencyKey === `refund-${projectId}-${orderId}`,
  );
  const receipts = ((await t.api.get('/_dev/mail')).body as { subject: string }[]).filter(
    (m) => m.subject === `Receipt for order ${orderId}`,
  );
  const order = (await t.api.get(`/projects/${projectId}/orders/${orderId}`)).body;
  const executions = t.twin.executions
    .list(localStateMachineArn('charge-order'))
    .filter(
      (e) => JSON.parse(e.input).orderId === orderId && JSON.parse(e.input).projectId === projectId,
    );
  return { order, intents, refunds, receipts, executions, calls: payments.calls };
};
