import {
  DecryptCommand,
  EncryptCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAwsEndpoint } from '../../infra/local/aws/aws-endpoint.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { kmsOperations, LOCAL_SECRETS_KEY_ID, localKeyArn } from '../../infra/local/kms/kms.ts';
import { KmsSecrets } from '../../lambdas/lib/adapters/kms-secrets.ts';
import { SecretUnreadable } from '../../lambdas/lib/ports/secrets.ts';

const OTHER_KEY_ID = 'alias/other';
const endpoint = new LocalAwsEndpoint();
let kms: KMSClient;

beforeAll(async () => {
  endpoint.addJson(kmsOperations([LOCAL_SECRETS_KEY_ID, OTHER_KEY_ID]));
  kms = new KMSClient({
    endpoint: await endpoint.listen(),
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  kms.destroy();
  await endpoint.close();
});

const encrypt = (
  plaintext: string,
  context: Record<string, string>,
  KeyId = LOCAL_SECRETS_KEY_ID,
) =>
  kms.send(
    new EncryptCommand({ KeyId, Plaintext: Buffer.from(plaintext), EncryptionContext: context }),
  );

const decrypt = (blob: Uint8Array | undefined, context: Record<string, string>, KeyId?: string) =>
  kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId }));

describe("the twin's KMS, through @aws-sdk/client-kms", () => {
  it('round-trips a plaintext under the same encryption context', async () => {
    const sealed = await encrypt('whsec_secret', { projectId: 'prj_a' });

    const opened = await decrypt(sealed.CiphertextBlob, { projectId: 'prj_a' });

    expect(Buffer.from(opened.Plaintext ?? []).toString()).toBe('whsec_secret');
    expect(sealed.KeyId).toBe(localKeyArn(LOCAL_SECRETS_KEY_ID));
    expect(opened.KeyId).toBe(sealed.KeyId);
    expect(Buffer.from(sealed.CiphertextBlob ?? []).includes('whsec_secret')).toBe(false);
  });

  it('does not care about the order of the context keys', async () => {
    const sealed = await encrypt('x', { projectId: 'prj_a', purpose: 'webhook' });

    const opened = await decrypt(sealed.CiphertextBlob, { purpose: 'webhook', projectId: 'prj_a' });

    expect(Buffer.from(opened.Plaintext ?? []).toString()).toBe('x');
  });

  it.each([
    ['another project', { projectId: 'prj_b' }],
    ['an extra context entry', { projectId: 'prj_a', extra: 'x' }],
    ['no context', {}],
  ])('refuses a Decrypt with %s as InvalidCiphertextException', async (_, context) => {
    const sealed = await encrypt('whsec_secret', { projectId: 'prj_a' });

    await expect(decrypt(sealed.CiphertextBlob, context)).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
  });

  it('refuses a tampered ciphertext as InvalidCiphertextException', async () => {
    const sealed = await encrypt('whsec_secret', { projectId: 'prj_a' });
    const tampered = Buffer.from(sealed.CiphertextBlob ?? []);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;

    await expect(decrypt(tampered, { projectId: 'prj_a' })).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
  });

  it('refuses a Decrypt that names a different key as IncorrectKeyException', async () => {
    const sealed = await encrypt('whsec_secret', { projectId: 'prj_a' });

    await expect(
      decrypt(sealed.CiphertextBlob, { projectId: 'prj_a' }, OTHER_KEY_ID),
    ).rejects.toBeInstanceOf(IncorrectKeyException);
  });

  it('answers NotFoundException for a key it does not hold', async () => {
    await expect(encrypt('x', {}, 'alias/nope')).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('KmsSecrets against the twin', () => {
  it('seals to an opaque base64 string and opens it for the same project', async () => {
    const secrets = new KmsSecrets(LOCAL_SECRETS_KEY_ID, kms);

    const sealed = await secrets.seal('whsec_abc', { projectId: 'prj_a' });
    const opened = await secrets.open(sealed, { projectId: 'prj_a' });

    expect(opened).toBe('whsec_abc');
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sealed, 'base64').includes('whsec_abc')).toBe(false);
  });

  it('throws SecretUnreadable when the ciphertext is opened for another project', async () => {
    const secrets = new KmsSecrets(LOCAL_SECRETS_KEY_ID, kms);
    const sealed = await secrets.seal('whsec_abc', { projectId: 'prj_a' });

    const error = await secrets.open(sealed, { projectId: 'prj_b' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretUnreadable);
    expect(error).toMatchObject({ name: 'SecretUnreadable' });
    expect(String(error)).not.toContain('whsec_abc');
  });

  it('throws SecretUnreadable for a ciphertext sealed under another key', async () => {
    const sealed = await new KmsSecrets(OTHER_KEY_ID, kms).seal('s', { projectId: 'prj_a' });

    await expect(
      new KmsSecrets(LOCAL_SECRETS_KEY_ID, kms).open(sealed, { projectId: 'prj_a' }),
    ).rejects.toBeInstanceOf(SecretUnreadable);
  });
});
