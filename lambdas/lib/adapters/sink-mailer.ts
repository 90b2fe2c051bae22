import { randomUUID } from 'node:crypto';
import type { Mail, Mailer } from '../ports/mailer.ts';

/** A mail the sink "sent". */
export interface SentMail extends Mail {
  readonly messageId: string;
  readonly sentAt: string;
}

const outbox: SentMail[] = [];
let rejects: ((mail: Mail) => boolean) | undefined;

/** The mail service rejected a send (the twin's `mail:fail` fault; SES answers errors alike). */
export class MailRejected extends Error {
  constructor() {
    super('The mail service rejected the message');
    this.name = 'MailRejected';
  }
}

/** Installs the twin's `mail:fail` check, given each mail (undefined removes it). */
export const setSinkFault = (check: ((mail: Mail) => boolean) | undefined): void => {
  rejects = check;
};

/**
 * The twin's mailer: records mail in this process's outbox instead of sending it. The twin
 * serves the outbox at `GET /v1/_dev/mail`; tests count welcome e-mails there.
 */
export class SinkMailer implements Mailer {
  async send(mail: Mail): Promise<{ messageId: string }> {
    if (rejects?.(mail)) throw new MailRejected();
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
