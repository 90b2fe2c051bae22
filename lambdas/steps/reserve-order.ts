import { ordersFromEnv, systemClock } from '#lib/adapters/defaults.ts';
import { sameTerms } from '#lib/domain/orders.ts';
import { OrderStateConflict } from '#lib/errors.ts';
import type { OrderStore } from '#lib/ports/orders.ts';
import { stepHandler } from '#lib/step.ts';
import * as z from '#lib/zod.ts';
import { orderInput, orderTerms } from './schemas.ts';

/**
 * ReserveOrder: the order as this execution will charge it — a conditional put of the order
 * (the HTTP request made it already; an execution started any other way makes it here), refusing
 * an order stored with other terms.
 */
export const makeHandler = (deps: { orders: OrderStore; now: () => Date }) =>
  stepHandler(z.extend(orderInput, orderTerms.shape), async (input) => {
    const at = deps.now().toISOString();
    const { order } = await deps.orders.create({
      ...input,
      status: 'pending',
      createdAt: at,
      updatedAt: at,
    });
    if (!sameTerms(order, input))
      throw new OrderStateConflict(`Order ${input.orderId} has other terms`);
    return { projectId: order.projectId, orderId: order.orderId, createdAt: order.createdAt };
  });

export const handler = makeHandler({ orders: ordersFromEnv(), now: systemClock });
