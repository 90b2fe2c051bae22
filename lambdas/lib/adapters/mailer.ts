import { ENV, optionalEnv, requireEnv } from '../config.ts';
import type { Mailer } from '../ports/mailer.ts';
import { SesMailer } from './ses-mailer.ts';
import { SinkMailer } from './sink-mailer.ts';

/** The mailer this environment asks for: `MAIL_TRANSPORT=sink` in the twin, SES otherwise. */
export const mailerFromEnv = (): Mailer =>
  optionalEnv(ENV.mailTransport) === 'sink'
    ? new SinkMailer()
    : new SesMailer(requireEnv(ENV.mailFrom));
