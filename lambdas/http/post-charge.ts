import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { SfnWorkflows } from '#lib/adapters/sfn-workflows.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { requestCharge } from '#lib/domain/charging.ts';
import { orderView } from '#lib/domain/orders.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { OrderStore } from '#lib/ports/orders.ts';
import type { WorkflowStarter } from '#lib/ports/workflows.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { ordersFromEnv } from '#lib/wiring/orders.ts';
import { postCharge } from './contracts.ts';

/** A charge request is replayed for a day; after that the order itself answers. */
export const CHARGE_TTL_SECONDS = 86_400;

/**
 * `POST /v1/projects/{projectId}/orders/{orderId}/charge` → 202 with the order. The order id is
 * the idempotency key (`charge:{projectId}:{orderId}`): the same body replays, another body is a
 * 422; the charge-order execution is named after the order, so it runs once.
 */
export const makeHandler = (deps: {
  orders: OrderStore;
  workflows: WorkflowStarter;
  now: () => Date;
  idempotency: IdempotencyRunner;
}) =>
  httpRoute(
    {
      ...postCharge,
      idempotency: {
        ttlSeconds: CHARGE_TTL_SECONDS,
        operation: ({ params }) => ({
          key: `charge:${params.projectId}:${params.orderId}`,
          projectId: params.projectId,
        }),
      },
      handle: async ({ params, body, correlationId }) => {
        const order = await requestCharge(deps, {
          ...params,
          ...body,
          paymentMethod: body.paymentMethod ?? null,
          correlationId,
        });
        return json(202, orderView(order), {
          Location: `/v1/projects/${order.projectId}/orders/${order.orderId}`,
        });
      },
    },
    deps.idempotency,
  );

export const handler = makeHandler({
  orders: ordersFromEnv(),
  workflows: new SfnWorkflows(['charge-order']),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
