import { fulfilOrder } from '#lib/domain/charging.ts';
import type { OrderStore } from '#lib/ports/orders.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import { orderInput } from './schemas.ts';

/** Fulfil: records the order's entitlement on the project, once, and marks it fulfilled. */
export const makeHandler = (deps: { orders: OrderStore; now: () => Date }) =>
  stepHandler(orderInput, (input) => fulfilOrder(deps, input));

export const handler = makeHandler({ orders: ordersFromEnv(), now: systemClock });
