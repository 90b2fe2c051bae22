import { paymentsFromEnv } from '#lib/adapters/stripe-payments.ts';
import { chargeOrder, type PaymentDeps } from '#lib/domain/charging.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import { outcomesFromEnv } from '#lib/wiring/outcomes.ts';
import * as z from '#lib/zod.ts';
import { keyedOrderInput, orderTerms } from './schemas.ts';

/** Charge: own charge record first, then the provider under the workflow's idempotency key. */
export const makeHandler = (deps: PaymentDeps) =>
  stepHandler(z.extend(keyedOrderInput, orderTerms.shape), (input) => chargeOrder(deps, input));

export const handler = makeHandler({
  orders: ordersFromEnv(),
  provider: paymentsFromEnv(),
  outcomes: outcomesFromEnv(),
  now: systemClock,
});
