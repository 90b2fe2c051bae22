import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type StreamConsumer, streamConsumers } from '../../lambdas/events/consumers.ts';
import { grantStreamRead } from './access.ts';
import { deadLetterQueue } from './dead-letters.ts';
import { RetrysafeFunction, type SharedFunctionProps } from './function.ts';

/** Settings for the stream consumer functions. */
export interface StreamConsumersProps {
  readonly functions: SharedFunctionProps;
  /** @default streamConsumers from lambdas/events/consumers.ts */
  readonly consumers?: readonly StreamConsumer[];
}

/**
 * One function per entry in `lambdas/events/consumers.ts`, fed by its table's stream through an
 * event source mapping that applies the entry's filter, so the function is only invoked for the
 * records it declares (TTL deletions: `REMOVE` by `dynamodb.amazonaws.com`). A batch that keeps
 * failing is halved until the failing record is alone and retried a bounded number of times; then
 * its place in the stream goes to the consumer's dead-letter queue, so it neither blocks the shard
 * nor disappears unnoticed. A new consumer is a new entry in consumers.ts; nothing here changes.
 */
export class StreamConsumers extends Construct {
  /** Consumer functions by name (consumers.ts). */
  readonly functions: ReadonlyMap<string, RetrysafeFunction>;
  /** Each consumer's on-failure destination, by consumer name. */
  readonly deadLetterQueues: ReadonlyMap<string, Queue>;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    const functions = new Map<string, RetrysafeFunction>();
    const deadLetterQueues = new Map<string, Queue>();
    const { targets } = props.functions;
    const tables: Record<StreamConsumer['table'], ITable> = {
      idempotency: targets.idempotencyTable,
      platform: targets.platformTable,
    };

    for (const consumer of props.consumers ?? streamConsumers) {
      const table = tables[consumer.table];
      const fn = new RetrysafeFunction(this, consumer.name, {
        ...props.functions,
        entry: consumer.entry,
        access: consumer.access,
        kind: 'stream',
        description: `Fed by the ${consumer.table} table's stream, filtered as consumers.ts says`,
      });
      // Holds the stream ARN, shard and sequence-number range of a batch Lambda gave up on (never
      // the records' data), so an operator can find and re-read it.
      const deadLetters = deadLetterQueue(
        this,
        `${consumer.name}DeadLetters`,
        `the on-failure destination of ${consumer.name}'s stream event source mapping`,
      );
      const listStreams = grantStreamRead(fn, table, targets.tableKey);
      const mapping = fn.addEventSourceMapping('Stream', {
        eventSourceArn: table.tableStreamArn,
        // From the oldest record still in the stream: a TTL deletion that happened while the
        // mapping was being created is still audited.
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Exactly the entry's pattern: Lambda drops every other record before invoking.
        filters: [FilterCriteria.filter(consumer.filter)],
        // Consumers do about one write per record: 100 fit well inside the 10 s timeout.
        batchSize: 100,
        // A failing batch is split until the poison record is alone; the rest get through.
        bisectBatchOnError: true,
        retryAttempts: 5,
        // Leaves most of the stream's 24 h retention to re-read a batch the DLQ points at.
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(deadLetters),
      });
      // Lambda checks the role's stream permissions when it creates the mapping.
      mapping.node.addDependency(listStreams);
      functions.set(consumer.name, fn);
      deadLetterQueues.set(consumer.name, deadLetters);
    }
    this.functions = functions;
    this.deadLetterQueues = deadLetterQueues;
  }
}
