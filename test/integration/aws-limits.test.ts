import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { AWS_LIMITS } from '../../infra/local/aws/aws-limits.ts';
import {
  LOCAL_REGION,
  LOCAL_SCHEDULE_GROUP,
  localFunctionArn,
} from '../../infra/local/aws/constants.ts';
import { LOCAL_CREDENTIALS, localDynamoClient } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { localBusName } from '../../infra/local/eventbridge/event-bus.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();
const client = <C>(Client: new (config: object) => C): C =>
  new Client({
    endpoint: t.twin.awsEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });

/** An AWS error's name, or 'ok' when the call went through. */
const outcome = async (call: () => Promise<unknown>): Promise<string> =>
  call().then(
    () => 'ok',
    (error: Error) => error.name,
  );

describe('EventBridge PutEvents: 256 KB per request', () => {
  const entry = (detailBytes: number) => ({
    EventBusName: localBusName('events'),
    Source: 'limits.test',
    DetailType: 'sized',
    Detail: JSON.stringify({ pad: 'x'.repeat(detailBytes - 10) }),
  });
  const overhead = 'limits.test'.length + 'sized'.length;

  it('accepts entries adding up to exactly the limit and refuses one byte more', async () => {
    const events = client(EventBridgeClient);
    const fits = entry(AWS_LIMITS.putEventsBytes - overhead);
    const over = entry(AWS_LIMITS.putEventsBytes - overhead + 1);
    expect(await outcome(() => events.send(new PutEventsCommand({ Entries: [fits] })))).toBe('ok');
    expect(await outcome(() => events.send(new PutEventsCommand({ Entries: [over] })))).toBe(
      'ValidationException',
    );
    const half = entry(AWS_LIMITS.putEventsBytes / 2);
    expect(await outcome(() => events.send(new PutEventsCommand({ Entries: [half, half] })))).toBe(
      'ValidationException',
    );
    events.destroy();
  });
});

describe('EventBridge Scheduler: a target input of at most 256 KB', () => {
  it('refuses a schedule whose target input is over the limit', async () => {
    const scheduler = client(SchedulerClient);
    const create = (inputBytes: number, name: string) =>
      scheduler.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: LOCAL_SCHEDULE_GROUP,
          ScheduleExpression: 'cron(0 * * * ? *)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: localFunctionArn('Dispatcher'),
            RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
            Input: JSON.stringify({ pad: 'x'.repeat(inputBytes - 10) }),
          },
          State: 'DISABLED',
        }),
      );
    expect(await outcome(() => create(AWS_LIMITS.schedulerInputBytes, 'fits'))).toBe('ok');
    expect(await outcome(() => create(AWS_LIMITS.schedulerInputBytes + 1, 'over'))).toBe(
      'ValidationException',
    );
    scheduler.destroy();
  });
});

describe('Lambda: 6 MB each way', () => {
  it('answers a request whose event is over 6 MB as API Gateway does: 413 Request Too Long', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(AWS_LIMITS.lambdaPayloadBytes) });
    const response = await fetch(`${t.twin.url}/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.twin.adminToken}`, 'Content-Type': 'application/json' },
      body,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Too Long' });
  });

  it('fails an invocation whose event is over 6 MB before the handler runs', async () => {
    const big = { pad: 'x'.repeat(AWS_LIMITS.lambdaPayloadBytes) };
    expect(await outcome(() => t.twin.functions.invoke('LogRun', big))).toBe(
      'RequestEntityTooLargeException',
    );
  });
});

describe('DynamoDB: what DynamoDB Local itself enforces', () => {
  const put = (item: Record<string, unknown>) =>
    localDynamoClient(t.twin.dynamoEndpoint).send(
      new PutItemCommand({
        TableName: t.twin.tables.platform,
        Item: {
          pk: { S: 'LIMITS' },
          sk: { S: String(Math.random()) },
          ...(item as Record<string, never>),
        },
      }),
    );
  const nested = (depth: number): Record<string, unknown> =>
    depth === 0 ? { S: 'leaf' } : { M: { a: nested(depth - 1) } };

  it('refuses an item over 400 KB', async () => {
    expect(await outcome(() => put({ pad: { S: 'x'.repeat(390 * 1024) } }))).toBe('ok');
    expect(await outcome(() => put({ pad: { S: 'x'.repeat(400 * 1024) } }))).toBe(
      'ValidationException',
    );
  });

  it('refuses an attribute nested deeper than 32 levels', async () => {
    expect(await outcome(() => put({ deep: nested(31) }))).toBe('ok');
    expect(await outcome(() => put({ deep: nested(33) }))).toBe('ValidationException');
  });
});
