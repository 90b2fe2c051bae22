import { describe, expect, it } from 'vitest';
import {
  authorize,
  type PolicyDocument,
  type PolicyStatement,
  wildcardMatch,
} from '../../../../infra/local/assembly/iam.ts';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/t-PlatformTable';
const KEY = 'arn:aws:kms:us-east-1:000000000000:key/SecretsKey';
const allow = (
  Action: string | string[],
  Resource: string | string[],
  Condition?: PolicyStatement['Condition'],
) =>
  ({
    Statement: [{ Effect: 'Allow', Action, Resource, ...(Condition && { Condition }) }],
  }) as PolicyDocument;

describe('IAM evaluator', () => {
  it('allows a listed action on a listed resource, and nothing else', () => {
    const policy = allow(['dynamodb:GetItem', 'dynamodb:Query'], TABLE);
    expect(authorize([policy], { action: 'dynamodb:GetItem', resource: TABLE })).toBe('allowed');
    expect(authorize([policy], { action: 'dynamodb:PutItem', resource: TABLE })).toBe(
      'implicit-deny',
    );
    expect(authorize([policy], { action: 'dynamodb:GetItem', resource: `${TABLE}2` })).toBe(
      'implicit-deny',
    );
    expect(authorize([policy], { action: 'dynamodb:Query', resource: `${TABLE}/index/gsi1` })).toBe(
      'implicit-deny',
    );
  });

  it('matches actions case-insensitively with wildcards, resources case-sensitively', () => {
    expect(
      authorize([allow('DynamoDB:Get*', TABLE)], { action: 'dynamodb:GetItem', resource: TABLE }),
    ).toBe('allowed');
    expect(
      authorize([allow('dynamodb:*', `${TABLE}/*`)], {
        action: 'dynamodb:Query',
        resource: `${TABLE}/index/gsi1`,
      }),
    ).toBe('allowed');
    expect(
      authorize([allow('dynamodb:*', TABLE.toUpperCase())], {
        action: 'dynamodb:Query',
        resource: TABLE,
      }),
    ).toBe('implicit-deny');
    expect(wildcardMatch('schedule/g/?', 'schedule/g/a')).toBe(true);
    expect(wildcardMatch('schedule/g/?', 'schedule/g/ab')).toBe(false);
    expect(wildcardMatch('a.b', 'aXb')).toBe(false);
  });

  it('lets an explicit Deny win over any Allow', () => {
    const policies: PolicyDocument[] = [
      allow('*', '*'),
      { Statement: [{ Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE }] },
    ];
    expect(authorize(policies, { action: 'dynamodb:DeleteItem', resource: TABLE })).toBe(
      'explicit-deny',
    );
    expect(authorize(policies, { action: 'dynamodb:PutItem', resource: TABLE })).toBe('allowed');
  });

  it('reads NotAction and NotResource', () => {
    const policy: PolicyDocument = {
      Statement: { Effect: 'Allow', NotAction: 'iam:*', NotResource: KEY },
    };
    expect(authorize([policy], { action: 'dynamodb:GetItem', resource: TABLE })).toBe('allowed');
    expect(authorize([policy], { action: 'iam:PassRole', resource: TABLE })).toBe('implicit-deny');
    expect(authorize([policy], { action: 'kms:Decrypt', resource: KEY })).toBe('implicit-deny');
  });

  it('refuses a direct KMS call under a kms:ViaService condition (the key is only for DynamoDB)', () => {
    const policy = allow('kms:Decrypt', KEY, {
      StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' },
    });
    expect(authorize([policy], { action: 'kms:Decrypt', resource: KEY, context: {} })).toBe(
      'implicit-deny',
    );
    expect(
      authorize([policy], {
        action: 'kms:Decrypt',
        resource: KEY,
        context: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' },
      }),
    ).toBe('allowed');
  });

  it('requires the projectId encryption context as the stack writes it (ForAnyValue + Null)', () => {
    const policy = allow('kms:Encrypt', KEY, {
      'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['projectId'] },
      Null: { 'kms:EncryptionContext:projectId': 'false' },
    });
    const withContext = {
      'kms:EncryptionContextKeys': ['projectId'],
      'kms:EncryptionContext:projectId': 'prj_1',
    };
    expect(
      authorize([policy], { action: 'kms:Encrypt', resource: KEY, context: withContext }),
    ).toBe('allowed');
    expect(
      authorize([policy], {
        action: 'kms:Encrypt',
        resource: KEY,
        context: { 'kms:EncryptionContextKeys': [] },
      }),
    ).toBe('implicit-deny');
    expect(
      authorize([policy], {
        action: 'kms:Encrypt',
        resource: KEY,
        context: { 'kms:EncryptionContextKeys': ['tenant'], 'kms:EncryptionContext:tenant': 'x' },
      }),
    ).toBe('implicit-deny');
  });

  it('compares condition keys case-insensitively and honours IfExists and ForAllValues', () => {
    const passRole = allow('iam:PassRole', 'arn:aws:iam::000000000000:role/R', {
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
    expect(
      authorize([passRole], {
        action: 'iam:PassRole',
        resource: 'arn:aws:iam::000000000000:role/R',
        context: { 'IAM:passedToService': 'scheduler.amazonaws.com' },
      }),
    ).toBe('allowed');
    expect(
      authorize([passRole], {
        action: 'iam:PassRole',
        resource: 'arn:aws:iam::000000000000:role/R',
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      }),
    ).toBe('implicit-deny');
    const ifExists = allow('s3:GetObject', '*', {
      StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' },
    });
    expect(authorize([ifExists], { action: 's3:GetObject', resource: 'x' })).toBe('allowed');
    const all = allow('dynamodb:GetItem', TABLE, {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['prj_1#*'] },
    });
    expect(
      authorize([all], {
        action: 'dynamodb:GetItem',
        resource: TABLE,
        context: { 'dynamodb:LeadingKeys': ['prj_1#a'] },
      }),
    ).toBe('allowed');
    expect(
      authorize([all], {
        action: 'dynamodb:GetItem',
        resource: TABLE,
        context: { 'dynamodb:LeadingKeys': ['prj_1#a', 'prj_2#b'] },
      }),
    ).toBe('implicit-deny');
  });

  it('never lets an Allow with an operator it does not know match, and lets such a Deny match', () => {
    const unknown = { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } };
    expect(
      authorize([allow('kms:Decrypt', KEY, unknown)], { action: 'kms:Decrypt', resource: KEY }),
    ).toBe('implicit-deny');
    const deny: PolicyDocument = {
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: unknown }],
    };
    expect(authorize([allow('*', '*'), deny], { action: 'kms:Decrypt', resource: KEY })).toBe(
      'explicit-deny',
    );
  });
});
