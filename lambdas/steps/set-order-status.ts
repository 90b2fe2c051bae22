import { ORDER_STATUSES } from '#lib/domain/orders.ts';
import type { OrderStore } from '#lib/ports/orders.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import * as z from '#lib/zod.ts';
import { orderInput } from './schemas.ts';

const status = z.enum(ORDER_STATUSES);

/** SetOrderStatus (MarkOrderFailed): a conditional status update; already there is success. */
export const makeHandler = (deps: { orders: OrderStore; now: () => Date }) =>
  stepHandler(
    z.extend(orderInput, {
      from: z.array(status).check(z.minLength(1)),
      to: status,
      failure: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
    }),
    async ({ projectId, orderId, from, to, failure }) => {
      await deps.orders.transition({
        projectId,
        orderId,
        from,
        to,
        at: deps.now().toISOString(),
        ...(failure ? { failure: { error: failure.Error, cause: failure.Cause ?? '' } } : {}),
      });
      return { projectId, orderId, status: to };
    },
  );

export const handler = makeHandler({ orders: ordersFromEnv(), now: systemClock });
