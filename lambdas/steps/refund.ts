import { paymentsFromEnv } from '#lib/adapters/stripe-payments.ts';
import { type PaymentDeps, refundOrder } from '#lib/domain/charging.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import { keyedOrderInput } from './schemas.ts';

/** Refund (compensation): the refund ledger first, then the provider under the workflow's key. */
export const makeHandler = (deps: PaymentDeps) =>
  stepHandler(keyedOrderInput, (input) => refundOrder(deps, input));

export const handler = makeHandler({
  orders: ordersFromEnv(),
  provider: paymentsFromEnv(),
  outcomes: outcomesFromEnv(),
  now: systemClock,
});
