import { mailerFromEnv } from '#lib/adapters/mailer.ts';
import type { Mailer } from '#lib/ports/mailer.ts';
import type { OnceLedger } from '#lib/ports/once.ts';
import { stepHandler } from '#lib/step.ts';
import { onceFromEnv } from '#lib/wiring/once.ts';
import * as z from '#lib/zod.ts';
import { projectId } from './schemas.ts';

const input = z.object({ projectId, name: z.string(), ownerEmail: z.email() });

/** SendWelcomeEmail: sends once per project, deduplicated by `welcome:{projectId}`. */
export const makeHandler = (deps: { ledger: OnceLedger; mailer: Mailer }) =>
  stepHandler(input, async ({ projectId, name, ownerEmail }) => {
    const { result } = await deps.ledger.once(
      { projectId, dedupeKey: `welcome:${projectId}` },
      () =>
        deps.mailer.send({
          to: ownerEmail,
          subject: `Welcome to retrysafe: ${name} is ready`,
          body: `Your project ${name} (${projectId}) has been provisioned.`,
        }),
    );
    return { projectId, messageId: result.messageId };
  });

export const handler = makeHandler({ ledger: onceFromEnv(), mailer: mailerFromEnv() });
