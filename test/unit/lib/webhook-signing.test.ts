import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  isWebhookSecret,
  signWebhook,
} from '../../../lambdas/lib/domain/webhook-signing.ts';

const body = JSON.stringify({ id: 'evt_1', type: 'order.paid', data: { amount: 100 } });

describe('webhook signing (Standard Webhooks)', () => {
  it('generates whsec_ secrets holding 32 random bytes, different every time', () => {
    const secret = generateWebhookSecret();

    expect(isWebhookSecret(secret)).toBe(true);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('signs id, timestamp and body so that the standardwebhooks verifier accepts them', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, { id: 'evt_1', body, at: new Date() });

    const verified = new Webhook(secret).verify(body, { ...headers });

    expect(verified).toEqual(JSON.parse(body));
  });

  it('sends the event id and the unix-seconds timestamp in the headers', () => {
    const at = new Date('2026-03-01T09:00:00.750Z');
    const headers = signWebhook(generateWebhookSecret(), { id: 'evt_1', body, at });

    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('gives the same signature for the same id, time and body (retries are verifiable alike)', () => {
    const secret = generateWebhookSecret();
    const message = { id: 'evt_1', body, at: new Date() };

    expect(signWebhook(secret, message)).toEqual(signWebhook(secret, message));
  });

  it('fails verification with another secret or a changed body', () => {
    const secret = generateWebhookSecret();
    const headers = { ...signWebhook(secret, { id: 'evt_1', body, at: new Date() }) };

    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(WebhookVerificationError);
  });
});
