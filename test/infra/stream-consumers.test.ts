import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StreamConsumers } from '#infra/constructs/stream-consumers.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import { streamConsumers, ttlDeletions } from '../../lambdas/events/consumers.ts';
import { accessTargetsIn, logicalIdOf, propertiesOf, synthesize, testApp } from './synth.ts';

let stack: RetrysafeStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesize());
});

const consumerFunction = (name: string) => {
  const fn = stack.streamConsumers.functions.get(name);
  if (!fn) throw new Error(`No stream consumer ${name}`);
  return fn;
};
const deadLetterQueue = (name: string) => {
  const queue = stack.streamConsumers.deadLetterQueues.get(name);
  if (!queue) throw new Error(`No dead-letter queue for ${name}`);
  return queue;
};
/** The one event source mapping that feeds a consumer's function. */
const mappingOf = (name: string) => {
  const functionRef = { Ref: logicalIdOf(stack, consumerFunction(name)) };
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
    (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify(functionRef),
  );
  expect(mappings).toHaveLength(1);
  return mappings[0] as { Properties: Record<string, unknown>; DependsOn?: string[] };
};
const tableOf = (table: 'idempotency' | 'platform') =>
  table === 'idempotency' ? stack.data.idempotency : stack.data.platform;

describe('stream consumers', () => {
  it('builds one event source mapping and one dead-letter queue per consumer, nothing more', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', streamConsumers.length);
    // The stack has other queues (events, schedules); these are the ones the consumers own.
    const queues = stack.streamConsumers.node.findAll().filter((c) => c instanceof Queue);
    expect(queues.map((q) => q.node.id).sort()).toEqual(
      streamConsumers.map((c) => `${c.name}DeadLetters`).sort(),
    );
  });

  it('filters the audit consumer to TTL deletions: REMOVE by dynamodb.amazonaws.com only', () => {
    const { FilterCriteria } = mappingOf('AuditExpiredRecords').Properties as {
      FilterCriteria: { Filters: { Pattern: string }[] };
    };
    expect(FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern))).toEqual([ttlDeletions]);
  });

  for (const consumer of streamConsumers) {
    it(`feeds ${consumer.name} the ${consumer.table} table's stream from TRIM_HORIZON through exactly its filter`, () => {
      const { Properties } = mappingOf(consumer.name);
      expect(Properties).toMatchObject({
        EventSourceArn: {
          'Fn::GetAtt': [logicalIdOf(stack, tableOf(consumer.table)), 'StreamArn'],
        },
        StartingPosition: 'TRIM_HORIZON',
      });
      const { Filters } = Properties.FilterCriteria as { Filters: { Pattern: string }[] };
      expect(Filters.map((f) => JSON.parse(f.Pattern))).toEqual([consumer.filter]);
    });

    it(`halves, retries a bounded number of times, then parks a failing ${consumer.name} batch in its DLQ`, () => {
      const { Properties } = mappingOf(consumer.name);
      expect(Properties).toMatchObject({
        BatchSize: expect.any(Number),
        BisectBatchOnFunctionError: true,
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [logicalIdOf(stack, deadLetterQueue(consumer.name)), 'Arn'],
            },
          },
        },
      });
      expect(Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
      expect(Properties.MaximumRetryAttempts).toBeLessThanOrEqual(10);
      // Gives up well inside the stream's 24 h retention, so the batch can still be re-read.
      expect(Properties.MaximumRecordAgeInSeconds).toBeLessThan(24 * 3600);
    });

    it(`creates ${consumer.name}'s mapping only once its role may list streams`, () => {
      const listStreams = stack.streamConsumers.node.findChild(`${consumer.name}ListStreams`);
      expect(mappingOf(consumer.name).DependsOn).toContain(logicalIdOf(stack, listStreams));
    });

    it(`encrypts ${consumer.name}'s DLQ, refuses plain HTTP to it and keeps messages 14 days`, () => {
      const queue = deadLetterQueue(consumer.name);
      expect(propertiesOf(template, logicalIdOf(stack, queue))).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(stack, queue) }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { 'Fn::GetAtt': [logicalIdOf(stack, queue), 'Arn'] },
            },
          ],
        },
      });
    });

    it(`traces ${consumer.name} and logs it to its own log group with the stack's retention`, () => {
      const fn = consumerFunction(consumer.name);
      const logGroup = logicalIdOf(stack, fn.logGroup);
      expect(propertiesOf(template, logicalIdOf(stack, fn))).toMatchObject({
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logGroup } },
      });
      expect(propertiesOf(template, logGroup)).toMatchObject({ RetentionInDays: 30 });
    });
  }

  it('fails the synth for a consumer of a table that has no stream', () => {
    const scope = new Stack(testApp(), 'NoStream');
    const targets = accessTargetsIn(scope);
    const consumer = { ...streamConsumers[0], name: 'ReadsPlatform', table: 'platform' as const };
    expect(
      () =>
        new StreamConsumers(scope, 'Consumers', { functions: { targets }, consumers: [consumer] }),
    ).toThrow(/reads the stream of NoStream\/Data\/PlatformTable, which has none/);
  });
});
