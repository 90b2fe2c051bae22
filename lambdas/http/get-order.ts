import { orderView } from '#lib/domain/orders.ts';
import { NotFound } from '#lib/errors.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { OrderStore } from '#lib/ports/orders.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import { getOrder } from './contracts.ts';

/** `GET /v1/projects/{projectId}/orders/{orderId}` → the order and where its charge stands. */
export const makeHandler = (deps: { orders: Pick<OrderStore, 'get'> }) =>
  httpRoute({
    ...getOrder,
    handle: async ({ params }) => {
      const order = await deps.orders.get(params.projectId, params.orderId);
      if (!order) throw new NotFound(`No order ${params.orderId}`);
      return json(200, orderView(order));
    },
  });

export const handler = makeHandler({ orders: ordersFromEnv() });
