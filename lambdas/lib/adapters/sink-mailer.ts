import { randomUUID } from 'node:crypto';
import type { Mail, Mailer } from '../ports/mailer.ts';

/** A mail the sink "sent". */
export interface SentMail extends Mail {
  readonly messageId: string;
  readonly sentAt: string;
}

const outbox: SentMail[] = [];

/**
 * The twin's mailer: records mail in this process's outbox instead of sending it. The twin
 * serves the outbox at `GET /v1/_dev/mail`; tests count welcome e-mails there.
 */
export class SinkMailer implements Mailer {
  async send(mail: Mail): Promise<{ messageId: string }> {
    const sent: SentMail = {
      ...mail,
      messageId: `local-${randomUUID()}`,
      sentAt: new Date().toISOString(),
    };
    outbox.push(sent);
    return { messageId: sent.messageId };
  }
}

/** Everything the sink has recorded, oldest first. */
export const sentMail = (): readonly SentMail[] => [...outbox];
