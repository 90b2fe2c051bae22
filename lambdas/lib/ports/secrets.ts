import { DomainError } from '../errors.ts';

/**
 * What a sealed secret is bound to. It must name the project: a ciphertext copied to another
 * project's record will not open there. Values are not secret (KMS logs them in CloudTrail).
 */
export type SecretContext = Readonly<{ projectId: string } & Record<string, string>>;

/**
 * Encrypts secrets that must be stored and later used again (webhook signing secrets), so the
 * table never holds them in plaintext. Implementations must never log the plaintext.
 */
export interface SecretBox {
  /** Encrypts `plaintext` bound to `context`; returns an opaque base64 ciphertext to store. */
  seal(plaintext: string, context: SecretContext): Promise<string>;
  /** Decrypts a ciphertext from {@link seal}; throws {@link SecretUnreadable} on another context. */
  open(ciphertext: string, context: SecretContext): Promise<string>;
}

/** A ciphertext that does not open: tampered, another key, or another context. Not retryable. */
export class SecretUnreadable extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretUnreadable';
  }
}
