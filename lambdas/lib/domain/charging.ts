import { effectDone } from '../crash-point.ts';
import { IdempotencyKeyReused, PaymentDeclined } from '../errors.ts';
import type { ChargeRecord, OrderStore } from '../ports/orders.ts';
import type { OutcomeCounter } from '../ports/outcomes.ts';
import type { PaymentProvider } from '../ports/payments.ts';
import type { WorkflowStarter } from '../ports/workflows.ts';
import { chargeExecutionName, chargeInput, type Order, sameTerms } from './orders.ts';

type Terms = Pick<Order, 'amount' | 'currency' | 'customerId' | 'paymentMethod'>;

/**
 * Records the order (once per order id) and starts its charge-order execution (once, by name).
 * The same order id with other terms is refused — also after the idempotency record is gone.
 */
export const requestCharge = async (
  deps: { orders: OrderStore; workflows: WorkflowStarter; now: () => Date },
  request: { projectId: string; orderId: string; correlationId: string } & Terms,
): Promise<Order> => {
  const at = deps.now().toISOString();
  const { correlationId, ...fields } = request;
  const { order } = await deps.orders.create({
    ...fields,
    status: 'pending',
    createdAt: at,
    updatedAt: at,
  });
  if (!sameTerms(order, request)) {
    throw new IdempotencyKeyReused(`Order ${order.orderId} was already charged with other terms`);
  }
  if (order.status === 'pending') {
    await deps.workflows.start(
      'charge-order',
      chargeExecutionName(order.projectId, order.orderId),
      { ...chargeInput(order), correlationId },
    );
  }
  return order;
};

export interface PaymentDeps {
  readonly orders: OrderStore;
  readonly provider: PaymentProvider;
  readonly outcomes: OutcomeCounter;
  readonly now: () => Date;
}

/**
 * Charge, two-layer idempotent: our own charge record first — a settled outcome is
 * returned without calling the provider — then the provider under the key the workflow fixed, so
 * a lost response replays the same intent. A decline is recorded, then thrown as PaymentDeclined.
 * The outcome is counted once, by the attempt whose write recorded it.
 */
export const chargeOrder = async (
  deps: PaymentDeps,
  input: { projectId: string; orderId: string; idempotencyKey: string } & Terms,
): Promise<{ chargeId: string }> => {
  const settled =
    (await deps.orders.charge(input.projectId, input.orderId)) ??
    (await recordCharge(deps, input, {
      ...(await chargeProvider(deps, input)),
      idempotencyKey: input.idempotencyKey,
      at: deps.now().toISOString(),
    }));
  if (settled.status === 'declined' || !settled.chargeId) {
    throw new PaymentDeclined(
      `Order ${input.orderId} was declined: ${settled.declineCode ?? 'declined'}`,
    );
  }
  return { chargeId: settled.chargeId };
};

/** Records the outcome; only the attempt whose write settled the order counts it. */
const recordCharge = async (
  deps: PaymentDeps,
  input: { projectId: string; orderId: string },
  outcome: ChargeRecord,
): Promise<ChargeRecord> => {
  const { record, created } = await deps.orders.recordCharge(
    input.projectId,
    input.orderId,
    outcome,
  );
  if (created)
    deps.outcomes.count(record.status === 'succeeded' ? 'ChargesSucceeded' : 'ChargesDeclined');
  return record;
};

const chargeProvider = async (
  deps: PaymentDeps,
  input: { projectId: string; orderId: string; idempotencyKey: string } & Terms,
) => {
  const result = await deps.provider.charge({
    amount: input.amount,
    currency: input.currency,
    customerId: input.customerId,
    ...(input.paymentMethod ? { paymentMethod: input.paymentMethod } : {}),
    idempotencyKey: input.idempotencyKey,
    metadata: { projectId: input.projectId, orderId: input.orderId },
  });
  await effectDone('provider.charge');
  return result.status === 'succeeded'
    ? { status: 'succeeded' as const, chargeId: result.chargeId }
    : {
        status: 'declined' as const,
        ...(result.chargeId ? { chargeId: result.chargeId } : {}),
        declineCode: result.declineCode,
        message: result.message,
      };
};

/**
 * Refund compensation, once: the refund ledger first, then the provider under the workflow's key,
 * then the ledger entry (with the order's move to `refunded`). Nothing charged, nothing refunded.
 * The refund is counted once, by the attempt whose ledger write landed.
 */
export const refundOrder = async (
  deps: PaymentDeps,
  input: { projectId: string; orderId: string; idempotencyKey: string },
): Promise<{ refundId: string | null }> => {
  const done = await deps.orders.refund(input.projectId, input.orderId);
  if (done) return { refundId: done.refundId };
  const charge = await deps.orders.charge(input.projectId, input.orderId);
  if (charge?.status !== 'succeeded' || !charge.chargeId) return { refundId: null };
  const { refundId } = await deps.provider.refund({
    chargeId: charge.chargeId,
    idempotencyKey: input.idempotencyKey,
  });
  await effectDone('provider.refund');
  const { record, created } = await deps.orders.recordRefund(input.projectId, input.orderId, {
    refundId,
    chargeId: charge.chargeId,
    idempotencyKey: input.idempotencyKey,
    at: deps.now().toISOString(),
  });
  if (created) deps.outcomes.count('Refunds');
  return { refundId: record.refundId };
};

/**
 * Fulfil: grants the entitlement once (a granted one is an earlier attempt's); only a charged
 * order can be fulfilled (OrderStateConflict).
 */
export const fulfilOrder = async (
  deps: Pick<PaymentDeps, 'orders' | 'now'>,
  input: { projectId: string; orderId: string },
): Promise<{ fulfilled: true }> => {
  await deps.orders.fulfil(input.projectId, input.orderId, deps.now().toISOString());
  return { fulfilled: true };
};
