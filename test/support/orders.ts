import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import type { TestTwin } from './twin.ts';

/** Charge request terms; Visa by default (succeeds in the fake). */
export const terms = (overrides: Record<string, unknown> = {}) => ({
  amount: 2500,
  currency: 'usd',
  customerId: 'cus_test',
  paymentMethod: 'pm_card_visa',
  ...overrides,
});

/**
 * What the provider fake holds for one order, and what the twin recorded about it. Effects are
 * counted by what they are — every intent the provider holds for this order (its metadata), every
 * refund of any of those intents — never by the idempotency key under test, which the provider
 * deduplicates anyway: a second charge under another key is still counted.
 */
export const orderState = async (t: TestTwin, projectId: string, orderId: string) => {
  const payments = (await t.api.get('/_dev/payments')).body as {
    paymentIntents: {
      id: string;
      status: string;
      idempotencyKey: string;
      metadata: { orderId?: string; projectId?: string };
    }[];
    refunds: { payment_intent: string; idempotencyKey: string }[];
    calls: number;
  };
  const intents = payments.paymentIntents.filter(
    (i) => i.metadata.orderId === orderId && i.metadata.projectId === projectId,
  );
  const intentIds = new Set(intents.map((i) => i.id));
  const refunds = payments.refunds.filter((r) => intentIds.has(r.payment_intent));
  const receipts = ((await t.api.get('/_dev/mail')).body as { subject: string }[]).filter(
    (m) => m.subject === `Receipt for order ${orderId}`,
  );
  const audit = (await t.api.get(`/projects/${projectId}/audit`)).body as {
    entries?: { action: string; details?: { orderId?: string } }[];
  };
  const order = (await t.api.get(`/projects/${projectId}/orders/${orderId}`)).body;
  const executions = t.twin.executions
    .list(localStateMachineArn('charge-order'))
    .filter(
      (e) => JSON.parse(e.input).orderId === orderId && JSON.parse(e.input).projectId === projectId,
    );
  const mailFailures = (audit.entries ?? []).filter(
    (e) => e.action === 'mail.failed' && e.details?.orderId === orderId,
  );
  return { order, intents, refunds, receipts, mailFailures, executions, calls: payments.calls };
};
