import { mailerFromEnv } from '#lib/adapters/mailer.ts';
import { ProjectNotFound } from '#lib/errors.ts';
import type { Mailer } from '#lib/ports/mailer.ts';
import type { OnceLedger } from '#lib/ports/once.ts';
import type { ProjectStore } from '#lib/ports/projects.ts';
import { stepHandler } from '#lib/step.ts';
import { onceFromEnv } from '#lib/wiring/once.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import * as z from '#lib/zod.ts';
import { orderInput, orderTerms } from './schemas.ts';

/** What the receipt needs, from the execution: the order's terms and the Charge step's output. */
const receiptInput = z.extend(orderInput, {
  amount: orderTerms.shape.amount,
  currency: orderTerms.shape.currency,
  chargeId: z.string().check(z.minLength(1)),
});

/** SendReceipt: one receipt per order to the project owner, deduplicated by `receipt:{orderId}`. */
export const makeHandler = (deps: { projects: ProjectStore; ledger: OnceLedger; mailer: Mailer }) =>
  stepHandler(receiptInput, async ({ projectId, orderId, ...order }) => {
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
  projects: projectsFromEnv(),
  ledger: onceFromEnv(),
  mailer: mailerFromEnv(),
});
