import { onceFromEnv, ordersFromEnv, projectsFromEnv } from '#lib/adapters/defaults.ts';
import { mailerFromEnv } from '#lib/adapters/mailer.ts';
import { OrderStateConflict, ProjectNotFound } from '#lib/errors.ts';
import type { Mailer } from '#lib/ports/mailer.ts';
import type { OnceLedger } from '#lib/ports/once.ts';
import type { OrderStore } from '#lib/ports/orders.ts';
import type { ProjectStore } from '#lib/ports/projects.ts';
import { stepHandler } from '#lib/step.ts';
import { orderInput } from './schemas.ts';

/** SendReceipt: one receipt per order to the project owner, deduplicated by `receipt:{orderId}`. */
export const makeHandler = (deps: {
  orders: OrderStore;
  projects: ProjectStore;
  ledger: OnceLedger;
  mailer: Mailer;
}) =>
  stepHandler(orderInput, async ({ projectId, orderId }) => {
    const order = await deps.orders.get(projectId, orderId);
    if (!order?.chargeId) throw new OrderStateConflict(`Order ${orderId} has no charge to receipt`);
    const project = await deps.projects.get(projectId);
    if (!project) throw new ProjectNotFound(projectId);
    const amount = `${(order.amount / 100).toFixed(2)} ${order.currency.toUpperCase()}`;
    const { result } = await deps.ledger.once({ projectId, dedupeKey: `receipt:${orderId}` }, () =>
      deps.mailer.send({
        to: project.ownerEmail,
        subject: `Receipt for order ${orderId}`,
        body: `Order ${orderId} of ${project.name} was charged ${amount} (charge ${order.chargeId}).`,
      }),
    );
    return { projectId, orderId, messageId: result.messageId };
  });

export const handler = makeHandler({
  orders: ordersFromEnv(),
  projects: projectsFromEnv(),
  ledger: onceFromEnv(),
  mailer: mailerFromEnv(),
});
