import { type ProblemCode, problemCatalogue } from './problem-codes.ts';

/**
 * Domain errors. Each sets `this.name`: Step Functions matches `ErrorEquals` against the name a
 * step throws, so the name is the contract there.
 *
 * An error that is an answer to an HTTP request, not a failure, says so itself: it names its
 * problem code, and the code fixes its HTTP status. The route wrapper answers with exactly that;
 * an error without a code is a failure, logged and answered with a 500.
 */
export class DomainError extends Error {
  /** The problem code a client gets when this error ends a request; none for a failure. */
  readonly problemCode?: ProblemCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DomainError';
  }

  /** The HTTP status that goes with `problemCode`; 500 for a failure. */
  get httpStatus(): number {
    return this.problemCode ? problemCatalogue[this.problemCode].status : 500;
  }
}

/** The thing asked for does not exist (or is not visible to this caller). */
export class NotFound extends DomainError {
  override readonly problemCode = 'not_found';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFound';
  }
}

/** A project a step needs is gone; not worth retrying. */
export class ProjectNotFound extends DomainError {
  override readonly problemCode = 'not_found';

  constructor(projectId: string, options?: ErrorOptions) {
    super(`Project ${projectId} does not exist`, options);
    this.name = 'ProjectNotFound';
  }
}

/** The project is in a state that forbids this transition; not worth retrying. */
export class ProjectStateConflict extends DomainError {
  override readonly problemCode = 'conflict';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProjectStateConflict';
  }
}

/** An idempotency key (or a business id derived from it) already names a different request. */
export class IdempotencyKeyReused extends DomainError {
  override readonly problemCode = 'idempotency_key_reused';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdempotencyKeyReused';
  }
}

/** Another attempt holds the claim on a once-only effect; retry shortly. */
export class EffectInProgress extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EffectInProgress';
  }
}

/**
 * A business id derived from an Idempotency-Key exists, but the replay record has expired and
 * what it held (a secret) cannot be shown again.
 */
export class IdempotencyWindowExpired extends DomainError {
  override readonly problemCode = 'idempotency_window_expired';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdempotencyWindowExpired';
  }
}

/** An order is in a state that forbids this step; not worth retrying. */
export class OrderStateConflict extends DomainError {
  override readonly problemCode = 'conflict';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderStateConflict';
  }
}

/** The provider declined the card: a business outcome, never retried. */
export class PaymentDeclined extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentDeclined';
  }
}
