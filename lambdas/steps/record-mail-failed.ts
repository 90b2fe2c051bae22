import { DynamoMailStatus } from '#lib/adapters/dynamo-mail-status.ts';
import { documentClientOf } from '#lib/adapters/dynamodb.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import type { MailStatusStore } from '#lib/ports/mail-status.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import * as z from '#lib/zod.ts';
import { orderId, projectId } from './schemas.ts';

const input = z.object({
  projectId,
  orderId: z.optional(orderId),
  kind: z.enum(['welcome', 'receipt']),
  /** The Step Functions error the mail step gave up with (`$.mailError`). */
  failure: z.object({ Error: z.string(), Cause: z.optional(z.string()) }),
});

/**
 * RecordWelcomeFailed, RecordReceiptFailed: after a mail step's retries ran out, the mail is
 * recorded as failed on the project or order, with its audit entry. The saga then ends as it
 * would have: a mail is never the reason a project is torn down or an order refunded.
 */
export const makeHandler = (deps: { mail: MailStatusStore; now: () => Date }) =>
  stepHandler(input, async ({ projectId, orderId, kind, failure }) => {
    await deps.mail.recordFailed({
      projectId,
      ...(orderId ? { orderId } : {}),
      kind,
      error: failure.Error,
      at: deps.now().toISOString(),
    });
    return { projectId, kind, status: 'failed' as const };
  });

export const handler = makeHandler({
  mail: new DynamoMailStatus(documentClientOf(), requireEnv(ENV.platformTable)),
  now: systemClock,
});
