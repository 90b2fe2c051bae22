/** A charge of one order. `amount` is in minor units; `currency` is ISO 4217, lowercase. */
export interface ChargeRequest {
  readonly amount: number;
  readonly currency: string;
  readonly customerId: string;
  /** Absent: the customer's default payment method. */
  readonly paymentMethod?: string;
  /** Built by the workflow (`charge-{projectId}-{orderId}`), never per attempt: it makes retries safe. */
  readonly idempotencyKey: string;
  readonly metadata: { readonly projectId: string; readonly orderId: string };
}

/**
 * How a charge ended. A decline is an answer, not a failure: retrying it cannot change it.
 * `chargeId` is the provider's payment id (a Stripe PaymentIntent `pi_…`).
 */
export type ChargeResult =
  | { readonly status: 'succeeded'; readonly chargeId: string }
  | {
      readonly status: 'declined';
      readonly chargeId?: string;
      readonly declineCode: string;
      readonly message: string;
    };

/** A full refund of a successful charge. */
export interface RefundRequest {
  readonly chargeId: string;
  /** Built by the workflow (`refund-{projectId}-{orderId}`), so a retried compensation refunds once. */
  readonly idempotencyKey: string;
}

/**
 * Takes and returns money. Both calls are idempotent under their key: repeating one with the same
 * key and request returns the first outcome. Transient failures throw `PaymentProviderUnavailable`
 * (retry with the same key); refusals that no retry can change throw `PaymentProviderRejected`.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}

/**
 * The provider could not be reached or answered "try later" (connection error, timeout, 429, 5xx).
 * The outcome is unknown, so retry with the same idempotency key; never with a new one.
 */
export class PaymentProviderUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentProviderUnavailable';
  }
}

/**
 * The provider refused the request itself — the key was used with other parameters
 * (`idempotency_error`), a parameter or the API key is wrong, the payment is already refunded.
 * Retrying cannot help: the ASL lists this name with `MaxAttempts: 0`.
 */
export class PaymentProviderRejected extends Error {
  constructor(
    message: string,
    /** The provider's error code (e.g. `charge_already_refunded`) or error type. */
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PaymentProviderRejected';
  }
}
