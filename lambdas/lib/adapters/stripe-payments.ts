import Stripe from 'stripe';
import { ENV, optionalEnv } from '../config.ts';
import { logger } from '../observability.ts';
import {
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  PaymentProviderRejected,
  PaymentProviderUnavailable,
  type RefundRequest,
} from '../ports/payments.ts';
import { secretFromEnv } from './secret-from-env.ts';

/**
 * Per-attempt timeout. The SDK's default (80 s) outlives the step Lambda (25 s), so a hung request
 * would end as a Lambda timeout instead of a clean, retryable error.
 */
export const STRIPE_TIMEOUT_MS = 8_000;

/**
 * SDK retries inside one step attempt. They are safe — every request carries the workflow's fixed
 * idempotency key — and one absorbs a blip for ~0.5 s instead of a Step Functions retry (a new
 * invocation plus a charge-record read). Only one, because Step Functions retries too and retries
 * multiply: 8 s + ~0.5 s + 8 s stays under the 25 s step timeout. (The SDK also retries a closed
 * connection once even at 0, which is what recovers a single lost response.)
 */
export const STRIPE_MAX_NETWORK_RETRIES = 1;

/** Charges and refunds through Stripe PaymentIntents, idempotent under the caller's keys. */
export class StripePayments implements PaymentProvider {
  constructor(private readonly stripe: Stripe) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    try {
      const paymentMethod =
        request.paymentMethod ?? (await this.defaultPaymentMethod(request.customerId));
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency,
          customer: request.customerId,
          payment_method: paymentMethod,
          confirm: true,
          // No customer is present when the saga charges: a card that needs authentication is
          // declined (authentication_required) instead of waiting forever in requires_action.
          off_session: true,
          // Confirmed server-side, so no redirect-based methods and no return_url.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          metadata: { projectId: request.metadata.projectId, orderId: request.metadata.orderId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      if (intent.lastResponse.headers['idempotent-replayed'] === 'true') {
        logger.info('Stripe replayed a saved charge', { idempotencyKey: request.idempotencyKey });
      }
      if (intent.status === 'succeeded') return { status: 'succeeded', chargeId: intent.id };
      if (intent.status === 'requires_payment_method') {
        const failure = intent.last_payment_error;
        return declined(intent.id, failure?.decline_code ?? failure?.code, failure?.message);
      }
      // Off-session card charges end succeeded or declined; anything else (processing,
      // requires_action) is a replayed answer that no retry under this key can change.
      throw new PaymentProviderRejected(
        `Stripe left PaymentIntent ${intent.id} ${intent.status}`,
        intent.status,
      );
    } catch (error) {
      // confirm: true raises a decline as a 402 card error carrying the failed PaymentIntent.
      if (error instanceof Stripe.errors.StripeCardError) {
        return declined(error.payment_intent?.id, error.decline_code ?? error.code, error.message);
      }
      throw providerError(error, 'charge');
    }
  }

  /** A charge without a payment method uses the customer's default, as an invoice would. */
  private async defaultPaymentMethod(customerId: string): Promise<string> {
    const customer = await this.stripe.customers.retrieve(customerId);
    const method = customer.deleted ? null : customer.invoice_settings?.default_payment_method;
    if (!method) {
      throw new PaymentProviderRejected(
        `Customer ${customerId} has no default payment method; send paymentMethod`,
        'no_default_payment_method',
      );
    }
    return typeof method === 'string' ? method : method.id;
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: request.chargeId },
        { idempotencyKey: request.idempotencyKey },
      );
      return { refundId: refund.id };
    } catch (error) {
      throw providerError(error, 'refund');
    }
  }
}

const declined = (
  chargeId: string | undefined,
  declineCode: string | undefined,
  message: string | undefined,
): ChargeResult => ({
  status: 'declined',
  ...(chargeId ? { chargeId } : {}),
  declineCode: declineCode ?? 'card_declined',
  message: message ?? 'The card was declined',
});

/**
 * Sorts SDK errors by what a retry can do: connection errors, timeouts, 429 and 5xx (and 409, a
 * concurrent request with the same key) may go another way → retryable; every other answer
 * (invalid request, idempotency error, bad API key) is final. Other errors pass unchanged.
 */
const providerError = (error: unknown, operation: 'charge' | 'refund'): unknown => {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const message = `Stripe ${operation} failed: ${error.message}`;
  const transient =
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    error instanceof Stripe.errors.StripeAPIError;
  return transient
    ? new PaymentProviderUnavailable(message, { cause: error })
    : new PaymentProviderRejected(message, error.code ?? error.rawType, { cause: error });
};

/** How to reach Stripe. Defaults are production's; the twin points `apiBase` at its fake. */
export interface StripeClientOptions {
  readonly apiKey: string;
  /** An http(s) origin, e.g. `http://127.0.0.1:4242`; absent → api.stripe.com. */
  readonly apiBase?: string;
  readonly timeoutMs?: number;
  readonly maxNetworkRetries?: number;
}

/** Builds the SDK client with this project's timeout and retry policy. */
export const stripeClient = (options: StripeClientOptions): Stripe =>
  new Stripe(options.apiKey, {
    ...(options.apiBase ? baseAddressOf(options.apiBase) : {}),
    timeout: options.timeoutMs ?? STRIPE_TIMEOUT_MS,
    maxNetworkRetries: options.maxNetworkRetries ?? STRIPE_MAX_NETWORK_RETRIES,
    appInfo: { name: 'retrysafe' },
  });

const baseAddressOf = (
  apiBase: string,
): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> => {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : null;
  // The SDK always requests /v1/…, so a base with a path would silently be ignored.
  if (!protocol || url.pathname !== '/' || url.search !== '') {
    throw new Error(`${ENV.stripeApiBase} must be an http(s) origin, got "${apiBase}"`);
  }
  return { host: url.hostname, port: url.port || (protocol === 'https' ? 443 : 80), protocol };
};

/**
 * The payment provider this environment asks for. Configuration is read now, so a missing key
 * fails at cold start; the secret itself is read on use (cached five minutes) and a
 * rotated key gets a fresh SDK client.
 */
export const paymentsFromEnv = (): PaymentProvider => {
  const secretKey = secretFromEnv(ENV.stripeSecretArn, ENV.stripeSecretKey, 'Stripe secret key');
  const apiBase = optionalEnv(ENV.stripeApiBase);
  if (apiBase) baseAddressOf(apiBase); // validated now, so a bad value fails at cold start
  const timeoutMs = positiveIntFromEnv(ENV.stripeTimeoutMs);
  const maxNetworkRetries = positiveIntFromEnv(ENV.stripeMaxNetworkRetries, 0);
  let current: { apiKey: string; payments: StripePayments } | undefined;
  const payments = async (): Promise<StripePayments> => {
    const apiKey = await secretKey();
    if (current?.apiKey !== apiKey) {
      current = {
        apiKey,
        payments: new StripePayments(
          stripeClient({ apiKey, apiBase, timeoutMs, maxNetworkRetries }),
        ),
      };
    }
    return current.payments;
  };
  return {
    charge: async (request) => (await payments()).charge(request),
    refund: async (request) => (await payments()).refund(request),
  };
};

/** An optional integer setting (≥ `min`); a malformed one fails at cold start. */
const positiveIntFromEnv = (key: string, min = 1): number | undefined => {
  const raw = optionalEnv(key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${key} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
};
