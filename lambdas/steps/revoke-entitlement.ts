import type { OrderStore } from '#lib/ports/orders.ts';
import { stepHandler } from '#lib/step.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import { orderInput } from './schemas.ts';

/** RevokeEntitlement (compensation): removes the order's entitlement if it was granted. */
export const makeHandler = (deps: { orders: OrderStore }) =>
  stepHandler(orderInput, async ({ projectId, orderId }) => {
    await deps.orders.revokeEntitlement(projectId, orderId);
    return { projectId, orderId, entitlement: 'absent' as const };
  });

export const handler = makeHandler({ orders: ordersFromEnv() });
