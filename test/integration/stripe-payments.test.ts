import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LocalServer, readBody, serve } from '../../infra/local/apigateway/http-server.ts';
import { Faults } from '../../infra/local/dev/faults.ts';
import { StripeFake } from '../../infra/local/stripe/stripe-fake.ts';
import {
  paymentsFromEnv,
  StripePayments,
  stripeClient,
} from '../../lambdas/lib/adapters/stripe-payments.ts';
import { ENV } from '../../lambdas/lib/config.ts';
import {
  type ChargeRequest,
  PaymentProviderRejected,
  PaymentProviderUnavailable,
} from '../../lambdas/lib/ports/payments.ts';

const faults = new Faults();
const fake = new StripeFake({ faults });
let apiBase: string;
/** The adapter as production builds it: SDK timeout and retry policy left at their defaults. */
let payments: StripePayments;

beforeAll(async () => {
  apiBase = await fake.listen();
  payments = new StripePayments(stripeClient({ apiKey: 'sk_test_adapter', apiBase }));
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => faults.set(''));

/** A charge as the saga makes it: the key is fixed per order, so every retry reuses it. */
const chargeOf = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => {
  const orderId = `order-${randomUUID()}`;
  return {
    amount: 2500,
    currency: 'usd',
    customerId: 'cus_adapter',
    paymentMethod: 'pm_card_visa',
    idempotencyKey: `charge-prj_test-${orderId}`,
    metadata: { projectId: 'prj_test', orderId },
    ...overrides,
  };
};

const intentsUnder = (key: string) =>
  fake.snapshot().paymentIntents.filter((intent) => intent.idempotencyKey === key);

describe('StripePayments against the Stripe fake', () => {
  it('charges the card and returns the PaymentIntent id as the charge id', async () => {
    const request = chargeOf();

    const result = await payments.charge(request);

    expect(result).toEqual({ status: 'succeeded', chargeId: expect.stringMatching(/^pi_/) });
    expect(intentsUnder(request.idempotencyKey)).toEqual([
      expect.objectContaining({
        id: result.chargeId,
        amount: 2500,
        currency: 'usd',
        customer: 'cus_adapter',
        metadata: request.metadata,
      }),
    ]);
  });

  it('maps a card decline to a declined result, not an error', async () => {
    const result = await payments.charge(chargeOf({ paymentMethod: 'pm_card_chargeDeclined' }));

    expect(result).toEqual({
      status: 'declined',
      chargeId: expect.stringMatching(/^pi_/),
      declineCode: 'generic_decline',
      message: 'Your card was declined.',
    });
  });

  it('answers a retried decline from the saved response: the same result, one intent', async () => {
    const request = chargeOf({ paymentMethod: 'pm_card_chargeDeclined' });
    const first = await payments.charge(request);

    const second = await payments.charge(request);

    expect(second).toEqual(first);
    expect(intentsUnder(request.idempotencyKey)).toHaveLength(1);
  });

  it('throws a lost response as retryable, and the retry returns the same charge id', async () => {
    // Two firings: the SDK retries a closed connection once by itself.
    faults.set('provider.charge:lose-response:2');
    const request = chargeOf();

    const lost = payments.charge(request);
    await expect(lost).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    await expect(lost).rejects.toHaveProperty('name', 'PaymentProviderUnavailable');
    const retried = await payments.charge(request);

    const intents = intentsUnder(request.idempotencyKey);
    expect(intents).toHaveLength(1);
    expect(retried).toEqual({ status: 'succeeded', chargeId: intents[0]?.id });
  });

  it('recovers a single lost response inside one call, through the SDK retry', async () => {
    faults.set('provider.charge:lose-response:1');
    const request = chargeOf();

    const result = await payments.charge(request);

    expect(result.status).toBe('succeeded');
    expect(intentsUnder(request.idempotencyKey)).toHaveLength(1);
  });

  it('throws a timeout as retryable, and the retry returns the same charge id', async () => {
    faults.set('provider.charge:timeout:1');
    const hurried = new StripePayments(
      stripeClient({ apiKey: 'sk_test_adapter', apiBase, timeoutMs: 300, maxNetworkRetries: 0 }),
    );
    const request = chargeOf();

    await expect(hurried.charge(request)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    const retried = await hurried.charge(request);

    const intents = intentsUnder(request.idempotencyKey);
    expect(intents).toHaveLength(1);
    expect(retried).toEqual({ status: 'succeeded', chargeId: intents[0]?.id });
  });

  it('throws a 500 (after its one SDK retry) as retryable, with no intent created', async () => {
    faults.set('provider.charge:fail:2');
    const request = chargeOf();

    await expect(payments.charge(request)).rejects.toBeInstanceOf(PaymentProviderUnavailable);

    expect(intentsUnder(request.idempotencyKey)).toEqual([]);
  });

  it('refunds once under retries: the same refund id every time, one refund', async () => {
    const charged = await payments.charge(chargeOf());
    if (charged.status !== 'succeeded') throw new Error('The fixture charge was declined');
    const refund = { chargeId: charged.chargeId, idempotencyKey: `refund-${charged.chargeId}` };

    const results = [
      await payments.refund(refund),
      ...(await Promise.all([1, 2].map(() => payments.refund(refund)))),
    ];

    expect(new Set(results.map((result) => result.refundId)).size).toBe(1);
    expect(results[0]?.refundId).toMatch(/^re_/);
    expect(
      fake.snapshot().refunds.filter((r) => r.payment_intent === charged.chargeId),
    ).toHaveLength(1);
  });

  it('maps an idempotency error (same key, other amount) to the non-retryable rejection', async () => {
    const request = chargeOf();
    await payments.charge(request);

    const reused = payments.charge({ ...request, amount: 9900 });

    await expect(reused).rejects.toBeInstanceOf(PaymentProviderRejected);
    await expect(reused).rejects.toMatchObject({
      name: 'PaymentProviderRejected',
      code: 'idempotency_error',
    });
  });

  it('maps a refund of an already refunded charge (another key) to a rejection with its code', async () => {
    const charged = await payments.charge(chargeOf());
    if (charged.status !== 'succeeded') throw new Error('The fixture charge was declined');
    await payments.refund({
      chargeId: charged.chargeId,
      idempotencyKey: `refund-a-${charged.chargeId}`,
    });

    const again = payments.refund({
      chargeId: charged.chargeId,
      idempotencyKey: `refund-b-${charged.chargeId}`,
    });

    await expect(again).rejects.toMatchObject({
      name: 'PaymentProviderRejected',
      code: 'charge_already_refunded',
    });
  });

  it('maps a refused API key (401) to a rejection', async () => {
    const wrongKey = new StripePayments(stripeClient({ apiKey: 'rk_live_wrong', apiBase }));

    await expect(wrongKey.charge(chargeOf())).rejects.toBeInstanceOf(PaymentProviderRejected);
  });
});

describe('StripePayments against a provider that rate-limits', () => {
  let limited: LocalServer;
  beforeAll(async () => {
    // The fake has no 429; this stub answers every request with Stripe's rate-limit error.
    limited = await serve(
      async (req, res) => {
        await readBody(req);
        res.writeHead(429, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              type: 'invalid_request_error',
              code: 'rate_limit',
              message: 'Too many requests',
            },
          }),
        );
      },
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await limited.close();
  });

  it('throws a 429 as retryable', async () => {
    const adapter = new StripePayments(
      stripeClient({ apiKey: 'sk_test_adapter', apiBase: `http://127.0.0.1:${limited.port}` }),
    );

    await expect(adapter.charge(chargeOf())).rejects.toBeInstanceOf(PaymentProviderUnavailable);
  });
});

describe('paymentsFromEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('charges through the API base and secret key the environment names', async () => {
    vi.stubEnv(ENV.stripeSecretKey, 'sk_test_from_env');
    vi.stubEnv(ENV.stripeApiBase, apiBase);
    vi.stubEnv(ENV.stripeSecretArn, '');
    const request = chargeOf();

    const result = await paymentsFromEnv().charge(request);

    expect(result.status).toBe('succeeded');
    expect(intentsUnder(request.idempotencyKey)).toHaveLength(1);
  });

  it('fails at construction when neither a secret key nor a secret ARN is set', () => {
    vi.stubEnv(ENV.stripeSecretKey, '');
    vi.stubEnv(ENV.stripeSecretArn, '');

    expect(() => paymentsFromEnv()).toThrow(ENV.stripeSecretKey);
  });

  it.each([
    ['an API base with a path', ENV.stripeApiBase, 'http://127.0.0.1:1/v1'],
    ['a timeout that is not a positive integer', ENV.stripeTimeoutMs, '1.5'],
  ])('fails at construction on %s', (_, name, value) => {
    vi.stubEnv(ENV.stripeSecretKey, 'sk_test_from_env');
    vi.stubEnv(name, value);

    expect(() => paymentsFromEnv()).toThrow(name);
  });
});
