/** An e-mail to send. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** Sends e-mail. Not idempotent by itself: callers dedupe with a once-ledger. */
export interface Mailer {
  send(mail: Mail): Promise<{ messageId: string }>;
}
