import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { JsonOperation } from '../aws/aws-endpoint.ts';
import { AwsError } from '../aws/aws-error.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';

/** The key the twin seals stored secrets with; the twin sets `SECRETS_KEY_ID` to it. */
export const LOCAL_SECRETS_KEY_ID = 'alias/retrysafe-secrets';

/** KMS's limit for Encrypt with a symmetric key. */
const MAX_PLAINTEXT_BYTES = 4096;
const MAGIC = Buffer.from('rsk1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The ARN KMS answers for a key id, alias or ARN (the twin keeps aliases as alias ARNs). */
export const localKeyArn = (keyId: string): string => {
  if (keyId.startsWith('arn:')) return keyId;
  const resource = keyId.startsWith('alias/') ? keyId : `key/${keyId}`;
  return `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
};

/** The key ARN a twin ciphertext was sealed under (undefined when it is not one of the twin's). */
export const keyArnOfCiphertext = (ciphertext: Buffer): string | undefined => {
  if (ciphertext.length < MAGIC.length + 2 || !ciphertext.subarray(0, 4).equals(MAGIC))
    return undefined;
  return ciphertext.subarray(6, 6 + ciphertext.readUInt16BE(4)).toString();
};

const validation = (message: string) => new AwsError('ValidationException', message);
const invalidCiphertext = () => new AwsError('InvalidCiphertextException', '');

const contextOf = (value: unknown): Record<string, string> => {
  if (value === undefined) return {};
  const valid =
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string');
  if (!valid) throw validation('EncryptionContext must map strings to strings');
  return value as Record<string, string>;
};

/**
 * The authenticated data of a ciphertext: its key and its encryption context, order-free (KMS
 * treats the context as a map), so a Decrypt with any other context fails the GCM tag check.
 */
const aadOf = (keyArn: string, context: Record<string, string>): Buffer =>
  Buffer.from(
    JSON.stringify([keyArn, Object.entries(context).sort(([a], [b]) => (a < b ? -1 : 1))]),
  );

const blob = (value: unknown, field: string): Buffer => {
  if (typeof value !== 'string' || value === '') throw validation(`${field} is required`);
  return Buffer.from(value, 'base64');
};

/**
 * The twin's KMS: `TrentService.Encrypt` and `TrentService.Decrypt` as `@aws-sdk/client-kms` sends
 * them (AWS JSON 1.1, blobs in base64), so `KmsSecrets` runs unchanged. Each key is AES-256-GCM
 * under random bytes that live only in this process: ciphertexts do not survive a restart, which
 * suits an in-memory twin. Ciphertext = `rsk1` · key ARN length (uint16) · key ARN · IV · tag ·
 * data. Unknown keys answer NotFoundException; a foreign, tampered or wrong-context ciphertext
 * answers InvalidCiphertextException; a Decrypt naming another key answers IncorrectKeyException.
 */
export const kmsOperations = (
  keyIds: readonly string[] = [LOCAL_SECRETS_KEY_ID],
): Record<string, JsonOperation> => {
  const keys = new Map(keyIds.map((id) => [localKeyArn(id), randomBytes(32)]));
  const keyNamed = (keyId: unknown): { arn: string; key: Buffer } => {
    if (typeof keyId !== 'string' || keyId === '') throw validation('KeyId is required');
    const arn = localKeyArn(keyId);
    const key = keys.get(arn);
    if (!key) throw new AwsError('NotFoundException', `Key '${arn}' does not exist`);
    return { arn, key };
  };

  return {
    'TrentService.Encrypt': (request) => {
      const { arn, key } = keyNamed(request.KeyId);
      const plaintext = blob(request.Plaintext, 'Plaintext');
      if (plaintext.length > MAX_PLAINTEXT_BYTES)
        throw validation(`Plaintext must be at most ${MAX_PLAINTEXT_BYTES} bytes`);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aadOf(arn, contextOf(request.EncryptionContext)));
      const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const arnBytes = Buffer.from(arn);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(arnBytes.length);
      const ciphertext = Buffer.concat([MAGIC, length, arnBytes, iv, cipher.getAuthTag(), data]);
      return {
        CiphertextBlob: ciphertext.toString('base64'),
        KeyId: arn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },

    'TrentService.Decrypt': (request) => {
      const ciphertext = blob(request.CiphertextBlob, 'CiphertextBlob');
      const context = contextOf(request.EncryptionContext);
      if (ciphertext.length < MAGIC.length + 2 || !ciphertext.subarray(0, 4).equals(MAGIC))
        throw invalidCiphertext();
      const arnEnd = 6 + ciphertext.readUInt16BE(4);
      const arn = ciphertext.subarray(6, arnEnd).toString();
      const key = keys.get(arn);
      if (!key || ciphertext.length < arnEnd + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
      if (request.KeyId !== undefined && keyNamed(request.KeyId).arn !== arn)
        throw new AwsError('IncorrectKeyException', 'The key ID in the request does not match');
      const iv = ciphertext.subarray(arnEnd, arnEnd + IV_BYTES);
      const tag = ciphertext.subarray(arnEnd + IV_BYTES, arnEnd + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(aadOf(arn, context));
      decipher.setAuthTag(tag);
      let plaintext: Buffer;
      try {
        plaintext = Buffer.concat([
          decipher.update(ciphertext.subarray(arnEnd + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw invalidCiphertext();
      }
      return {
        KeyId: arn,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  };
};
