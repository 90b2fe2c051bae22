import { describe, expect, it } from 'vitest';
import {
  type AwsRequest,
  alternativeIdentity,
  authorizationChecks,
} from '../../../../infra/local/assembly/aws-actions.ts';
import { kmsOperations } from '../../../../infra/local/kms/kms.ts';

const T = 'arn:aws:dynamodb:us-east-1:000000000000:table';
const request = (
  service: string,
  body: Record<string, unknown>,
  more: Partial<AwsRequest> = {},
): AwsRequest => ({
  service,
  method: 'POST',
  path: '/',
  query: new URLSearchParams(),
  body,
  ...more,
});

describe('AWS request → IAM checks', () => {
  it('checks each item of a DynamoDB transaction under its own action and table', () => {
    const checks = authorizationChecks(
      request(
        'dynamodb',
        {
          TransactItems: [
            { Put: { TableName: 'p' } },
            { ConditionCheck: { TableName: 'p' } },
            { Update: { TableName: 'i' } },
            { Delete: { TableName: 'p' } },
          ],
        },
        { target: 'DynamoDB_20120810.TransactWriteItems' },
      ),
    );
    expect(checks).toEqual([
      { action: 'dynamodb:PutItem', resource: `${T}/p` },
      { action: 'dynamodb:ConditionCheckItem', resource: `${T}/p` },
      { action: 'dynamodb:UpdateItem', resource: `${T}/i` },
      { action: 'dynamodb:DeleteItem', resource: `${T}/p` },
    ]);
  });

  it('authorizes a Query on an index against the index ARN, batches per table', () => {
    expect(
      authorizationChecks(
        request(
          'dynamodb',
          { TableName: 'p', IndexName: 'gsi1' },
          { target: 'DynamoDB_20120810.Query' },
        ),
      ),
    ).toEqual([{ action: 'dynamodb:Query', resource: `${T}/p/index/gsi1` }]);
    expect(
      authorizationChecks(
        request(
          'dynamodb',
          { RequestItems: { p: [], i: [] } },
          { target: 'DynamoDB_20120810.BatchWriteItem' },
        ),
      ).map((c) => c.resource),
    ).toEqual([`${T}/p`, `${T}/i`]);
  });

  it('checks a schedule write on the schedule ARN and the role it passes to Scheduler', () => {
    const checks = authorizationChecks(
      request(
        'scheduler',
        { GroupName: 'g', Target: { RoleArn: 'arn:aws:iam::000000000000:role/R', Arn: 'x' } },
        { path: '/schedules/s1' },
      ),
    );
    expect(checks).toEqual([
      {
        action: 'scheduler:CreateSchedule',
        resource: 'arn:aws:scheduler:us-east-1:000000000000:schedule/g/s1',
      },
      {
        action: 'iam:PassRole',
        resource: 'arn:aws:iam::000000000000:role/R',
        context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      },
    ]);
    const deletion = authorizationChecks(
      request(
        'scheduler',
        {},
        { method: 'DELETE', path: '/schedules/s1', query: new URLSearchParams('groupName=g') },
      ),
    );
    expect(deletion[0]?.action).toBe('scheduler:DeleteSchedule');
  });

  it('finds a Decrypt key in the ciphertext and passes the encryption context, never kms:ViaService', () => {
    const key = 'arn:aws:kms:us-east-1:000000000000:key/K';
    const kms = kmsOperations([key]);
    const sealed = kms['TrentService.Encrypt']?.({
      KeyId: key,
      Plaintext: Buffer.from('x').toString('base64'),
      EncryptionContext: { projectId: 'prj_1' },
    }) as { CiphertextBlob: string };
    const [check] = authorizationChecks(
      request(
        'kms',
        { CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { projectId: 'prj_1' } },
        { target: 'TrentService.Decrypt' },
      ),
    );
    expect(check).toEqual({
      action: 'kms:Decrypt',
      resource: key,
      context: {
        'kms:CallerAccount': '000000000000',
        'kms:EncryptionContextKeys': ['projectId'],
        'kms:EncryptionContext:projectId': 'prj_1',
      },
    });
  });

  it('checks SendEmail on the sender identity, its domain as the alternative', () => {
    const [check] = authorizationChecks(
      request(
        'ses',
        { FromEmailAddress: 'no-reply@example.com' },
        { path: '/v2/email/outbound-emails' },
      ),
    );
    expect(check?.resource).toBe(
      'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com',
    );
    expect(check && alternativeIdentity(check)?.resource).toBe(
      'arn:aws:ses:us-east-1:000000000000:identity/example.com',
    );
  });

  it('names every bus of a PutEvents, and an action no policy grants for an unknown service', () => {
    expect(
      authorizationChecks(
        request(
          'events',
          {
            Entries: [
              { EventBusName: 'b' },
              { EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/c' },
            ],
          },
          { target: 'AWSEvents.PutEvents' },
        ),
      ),
    ).toEqual([
      { action: 'events:PutEvents', resource: 'arn:aws:events:us-east-1:000000000000:event-bus/b' },
      { action: 'events:PutEvents', resource: 'arn:aws:events:us-east-1:000000000000:event-bus/c' },
    ]);
    expect(authorizationChecks(request('sqs', {}))[0]?.action).toBe('sqs:Unknown');
  });
});
