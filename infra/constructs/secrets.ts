import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * The key that seals secrets the platform must store and use again (webhook signing secrets), with
 * KMS Encrypt/Decrypt and the project as EncryptionContext. A key of its own, not the table key:
 * the table key is usable only through DynamoDB, and this one only directly, only with a project
 * context, and by exactly the functions whose Access says `secrets`.
 */
export const secretsKey = (scope: Construct, id: string): Key =>
  new Key(scope, id, {
    description: 'Seals retrysafe stored secrets (webhook signing secrets), bound to their project',
    enableKeyRotation: true,
    // The sealed secrets live in the retained platform table; they must stay openable.
    removalPolicy: RemovalPolicy.RETAIN,
  });

/**
 * Where operators put the Stripe secret API key. The stack creates the secret empty — no value in
 * the template, no made-up value — so charges fail loudly until someone stores the real key, and a
 * later deploy never overwrites it. Without a version, GetSecretValue fails and the Charge step
 * retries, then the order fails; with the key in place nothing needs redeploying (the step
 * re-reads the secret within 5 minutes).
 */
export const stripeSecret = (scope: Construct, id: string): Secret => {
  const secret = new Secret(scope, id, {
    description:
      'Stripe secret API key for charges and refunds. Created empty: put the sk_live_… key (plain string, not JSON) with `aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string sk_live_…`.',
  });
  // The L2 always asks CloudFormation to generate a random value; an API key cannot be generated.
  (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Stripe issues the API key; only Stripe can roll it (Dashboard → API keys → Roll key). Operators then put the new key here and the Charge/Refund steps pick it up within 5 minutes; a rotation Lambda could not mint a Stripe key.',
  });
  return secret;
};
