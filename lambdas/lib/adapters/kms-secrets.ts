import {
  DecryptCommand,
  EncryptCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
} from '@aws-sdk/client-kms';
import { ENV, requireEnv } from '../config.ts';
import { tracer } from '../observability.ts';
import { type SecretBox, type SecretContext, SecretUnreadable } from '../ports/secrets.ts';

/**
 * Seals secrets with AWS KMS `Encrypt`/`Decrypt` under one symmetric key. The context is passed
 * as the KMS EncryptionContext (authenticated, not encrypted), so a ciphertext opens only for the
 * project it was sealed for. Decrypt names the key too, so a ciphertext under another key is
 * refused rather than opened. In the twin the same calls go to `infra/local/kms/kms.ts`.
 */
export class KmsSecrets implements SecretBox {
  constructor(
    private readonly keyId: string,
    private readonly client: KMSClient = tracer.captureAWSv3Client(new KMSClient({})),
  ) {}

  async seal(plaintext: string, context: SecretContext): Promise<string> {
    const { CiphertextBlob } = await this.client.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: Buffer.from(plaintext, 'utf8'),
        EncryptionContext: { ...context },
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS Encrypt answered without a CiphertextBlob');
    return Buffer.from(CiphertextBlob).toString('base64');
  }

  async open(ciphertext: string, context: SecretContext): Promise<string> {
    try {
      const { Plaintext } = await this.client.send(
        new DecryptCommand({
          KeyId: this.keyId,
          CiphertextBlob: Buffer.from(ciphertext, 'base64'),
          EncryptionContext: { ...context },
        }),
      );
      if (!Plaintext) throw new Error('KMS Decrypt answered without a Plaintext');
      return Buffer.from(Plaintext).toString('utf8');
    } catch (error) {
      if (error instanceof InvalidCiphertextException || error instanceof IncorrectKeyException)
        throw new SecretUnreadable(`Secret of project ${context.projectId} does not open`, {
          cause: error,
        });
      throw error;
    }
  }
}

/** The secret box for this environment, keyed by `SECRETS_KEY_ID` (fails at cold start if unset). */
export const secretsFromEnv = (): SecretBox => new KmsSecrets(requireEnv(ENV.secretsKeyId));
