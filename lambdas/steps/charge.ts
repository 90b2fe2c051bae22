import { ordersFromEnv, systemClock } from '#lib/adapters/defaults.ts';
import { paymentsFromEnv } from '#lib/adapters/stripe-payments.ts';
import { chargeOrder, type PaymentDeps } from '#lib/domain/charging.ts';
import { stepHandler } from '#lib/step.ts';
import { keyedOrderInput, orderTerms } from './schemas.ts';

/** Charge: own charge record first, then the provider under the workflow's idempotency key. */
export const makeHandler = (deps: PaymentDeps) =>
  stepHandler(keyedOrderInput.extend(orderTerms.shape), (input) => chargeOrder(deps, input));

export const handler = makeHandler({
  orders: ordersFromEnv(),
  provider: paymentsFromEnv(),
  now: systemClock,
});
