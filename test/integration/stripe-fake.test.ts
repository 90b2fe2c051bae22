import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Faults } from '../../infra/local/dev/faults.ts';
import { StripeFake } from '../../infra/local/stripe/stripe-fake.ts';
import { stripeClient } from '../../lambdas/lib/adapters/stripe-payments.ts';

const faults = new Faults();
const fake = new StripeFake({ faults, holdMs: 10_000 });
let apiBase: string;

beforeAll(async () => {
  apiBase = await fake.listen();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => faults.set(''));

/** The official SDK on the fake, without SDK retries unless asked, so tests see every attempt. */
const sdk = (options: { apiKey?: string; timeoutMs?: number; maxNetworkRetries?: number } = {}) =>
  stripeClient({ apiKey: 'sk_test_fake', apiBase, maxNetworkRetries: 0, ...options });

const freshKey = () => `test-${randomUUID()}`;

const visa = {
  amount: 1200,
  currency: 'eur',
  customer: 'cus_test',
  payment_method: 'pm_card_visa',
  confirm: true,
  metadata: { projectId: 'prj_test', orderId: 'order-1' },
} satisfies Stripe.PaymentIntentCreateParams;
const declinedCard = { ...visa, payment_method: 'pm_card_chargeDeclined' };

const intentsUnder = (key: string) =>
  fake.snapshot().paymentIntents.filter((intent) => intent.idempotencyKey === key);

/** The error a promise rejects with, for assertions on several of its fields. */
const rejection = async (promise: Promise<unknown>): Promise<Stripe.errors.StripeError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Stripe.errors.StripeError)) throw new Error(`Expected a StripeError`);
  return error;
};

describe('the Stripe fake, through the official SDK', () => {
  it('creates and confirms a payment intent for pm_card_visa', async () => {
    const key = freshKey();
    const intent = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    expect(intent).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 1200,
      amount_received: 1200,
      currency: 'eur',
      customer: 'cus_test',
      metadata: { projectId: 'prj_test', orderId: 'order-1' },
    });
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.latest_charge).toMatch(/^ch_/);
    expect(intentsUnder(key)).toEqual([
      expect.objectContaining({ id: intent.id, idempotencyKey: key }),
    ]);
  });

  it('declines pm_card_chargeDeclined with a 402 card error carrying the failed intent', async () => {
    const error = await rejection(
      sdk().paymentIntents.create(declinedCard, { idempotencyKey: freshKey() }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    expect(error.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
    });
    expect(error.payment_intent?.last_payment_error?.decline_code).toBe('generic_decline');
  });

  it('retrieves an intent by id, and answers 404 resource_missing for an unknown id', async () => {
    const created = await sdk().paymentIntents.create(visa, { idempotencyKey: freshKey() });

    const retrieved = await sdk().paymentIntents.retrieve(created.id);
    const missing = await rejection(sdk().paymentIntents.retrieve('pi_unknown'));

    expect(retrieved).toEqual({ ...created });
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('refunds a succeeded intent in full', async () => {
    const intent = await sdk().paymentIntents.create(visa, { idempotencyKey: freshKey() });

    const refund = await sdk().refunds.create(
      { payment_intent: intent.id },
      { idempotencyKey: freshKey() },
    );

    expect(refund).toMatchObject({
      object: 'refund',
      status: 'succeeded',
      amount: 1200,
      payment_intent: intent.id,
    });
    expect(refund.id).toMatch(/^re_/);
  });

  it('refuses a second refund under another key as charge_already_refunded', async () => {
    const intent = await sdk().paymentIntents.create(visa, { idempotencyKey: freshKey() });
    await sdk().refunds.create({ payment_intent: intent.id }, { idempotencyKey: freshKey() });

    const error = await rejection(
      sdk().refunds.create({ payment_intent: intent.id }, { idempotencyKey: freshKey() }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(fake.snapshot().refunds.filter((r) => r.payment_intent === intent.id)).toHaveLength(1);
  });

  it('replays the saved intent for the same key and parameters, without a second intent', async () => {
    const key = freshKey();
    const first = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    const second = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    expect(second.id).toBe(first.id);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(intentsUnder(key)).toHaveLength(1);
  });

  it('replays a saved decline for the same key, without a second intent', async () => {
    const key = freshKey();
    const first = await rejection(
      sdk().paymentIntents.create(declinedCard, { idempotencyKey: key }),
    );

    const second = await rejection(
      sdk().paymentIntents.create(declinedCard, { idempotencyKey: key }),
    );

    expect(second).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    expect(intentsUnder(key)).toHaveLength(1);
  });

  it('refuses the same key with other parameters as a 400 idempotency_error', async () => {
    const key = freshKey();
    const first = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    const error = await rejection(
      sdk().paymentIntents.create({ ...visa, amount: 999 }, { idempotencyKey: key }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(intentsUnder(key).map((intent) => intent.id)).toEqual([first.id]);
  });

  it('scopes idempotency keys per API key', async () => {
    const key = freshKey();
    const a = await sdk({ apiKey: 'sk_test_a' }).paymentIntents.create(visa, {
      idempotencyKey: key,
    });

    const b = await sdk({ apiKey: 'sk_test_b' }).paymentIntents.create(
      { ...visa, amount: 500 },
      { idempotencyKey: key },
    );

    expect(b.id).not.toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(intentsUnder(key)).toHaveLength(2);
  });

  it('refuses a request without a secret key (401) and an unknown parameter (400)', async () => {
    const unauthenticated = await rejection(
      sdk({ apiKey: 'pk_test_public' }).paymentIntents.create(visa, { idempotencyKey: freshKey() }),
    );
    const unknown = await rejection(
      sdk().paymentIntents.create({ ...visa, description: 'x' }, { idempotencyKey: freshKey() }),
    );

    expect(unauthenticated).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(unknown).toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'description',
    });
  });
});

describe('the Stripe fake under provider.charge faults', () => {
  it('lose-response: the intent exists, the SDK sees a connection error, a retry with the key gets it', async () => {
    // Two firings: the SDK retries a closed connection once by itself, even with retries off.
    faults.set('provider.charge:lose-response:2');
    const key = freshKey();

    const error = await rejection(sdk().paymentIntents.create(visa, { idempotencyKey: key }));
    const retried = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(retried.status).toBe('succeeded');
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(intentsUnder(key).map((intent) => intent.id)).toEqual([retried.id]);
  });

  it("lose-response once: the SDK's own retry of the closed connection gets the saved intent", async () => {
    faults.set('provider.charge:lose-response:1');
    const key = freshKey();
    const callsBefore = fake.snapshot().calls;

    const intent = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    expect(intent.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(fake.snapshot().calls - callsBefore).toBe(2);
    expect(intentsUnder(key)).toHaveLength(1);
  });

  it('timeout: the intent exists, the SDK times out, a retry with the key gets it', async () => {
    faults.set('provider.charge:timeout:1');
    const key = freshKey();

    const error = await rejection(
      sdk({ timeoutMs: 300 }).paymentIntents.create(visa, { idempotencyKey: key }),
    );
    const retried = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(error.message).toMatch(/timeout/);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(intentsUnder(key).map((intent) => intent.id)).toEqual([retried.id]);
  });

  it('fail: answers 500 before anything happens, so a retry with the key creates the intent', async () => {
    faults.set('provider.charge:fail:1');
    const key = freshKey();

    const error = await rejection(sdk().paymentIntents.create(visa, { idempotencyKey: key }));
    const keptNothing = intentsUnder(key);
    const retried = await sdk().paymentIntents.create(visa, { idempotencyKey: key });

    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect(keptNothing).toEqual([]);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(intentsUnder(key)).toHaveLength(1);
  });
});
