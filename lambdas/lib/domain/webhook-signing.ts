import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks secrets are `whsec_` + base64 of the HMAC key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** The headers that sign one delivery (Standard Webhooks). */
export interface WebhookHeaders {
  /** The event id: the same on every attempt, so receivers dedupe on it. */
  readonly 'webhook-id': string;
  /** Unix seconds of this attempt; receivers refuse stale ones (replay protection). */
  readonly 'webhook-timestamp': string;
  /** `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`. */
  readonly 'webhook-signature': string;
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes (a 256-bit HMAC key). */
export const generateWebhookSecret = (): string =>
  `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** True when the string has the shape {@link generateWebhookSecret} produces. */
export const isWebhookSecret = (value: string): boolean => SECRET.test(value);

/**
 * Signs one delivery attempt. The `standardwebhooks` package does the HMAC, so the signature is
 * exactly what receivers' verifiers (the same package, in any language) compute. The body must
 * be sent byte for byte as signed.
 */
export const signWebhook = (
  secret: string,
  message: { readonly id: string; readonly body: string; readonly at: Date },
): WebhookHeaders => ({
  'webhook-id': message.id,
  'webhook-timestamp': String(Math.floor(message.at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(message.id, message.at, message.body),
});
