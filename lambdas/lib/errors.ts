/**
 * Domain errors. Each sets `this.name`: the HTTP layer maps names to problem codes, and Step
 * Functions matches `ErrorEquals` against the name a step throws, so the name is the contract.
 */
export class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/** The thing asked for does not exist (or is not visible to this caller). */
export class NotFound extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFound';
  }
}

/** A project a step needs is gone; not worth retrying. */
export class ProjectNotFound extends DomainError {
  constructor(projectId: string, options?: ErrorOptions) {
    super(`Project ${projectId} does not exist`, options);
    this.name = 'ProjectNotFound';
  }
}

/** The project is in a state that forbids this transition; not worth retrying. */
export class ProjectStateConflict extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProjectStateConflict';
  }
}

/** An idempotency key (or a business id derived from it) already names a different request. */
export class IdempotencyKeyReused extends DomainError {
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
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdempotencyWindowExpired';
  }
}

/** An order is in a state that forbids this step; not worth retrying. */
export class OrderStateConflict extends DomainError {
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
