import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamConsumer } from '../../../lambdas/events/consumers.ts';
import { LOCAL_REGION } from '../aws/constants.ts';
import { matchesPattern } from '../eventbridge/event-pattern.ts';
import { LOCAL_CREDENTIALS, localDynamoClient } from './dynamodb-local.ts';

/** Iterator errors after which a shard is read again from TRIM_HORIZON. */
const RESTARTABLE = new Set(['TrimmedDataAccessException', 'ExpiredIteratorException']);

/** DynamoDB Local's spelling of a TTL deletion (AWS: `REMOVE` by `dynamodb.amazonaws.com`). */
const LOCAL_TTL_EVENT = 'UNKNOWN_TO_SDK_VERSION';

/** How often the poller looks for new shards (and on every poll while it has none). */
const SHARD_REFRESH_MS = 5_000;

/**
 * The twin's Lambda event source mapping for a table stream: polls DynamoDB Local's stream,
 * rewrites its TTL deletions into AWS's shape (REMOVE by the DynamoDB service principal), applies
 * the consumer's filter and invokes the consumer with a `DynamoDBStreamEvent`. A failed batch is
 * retried on the next poll, as Lambda retries a batch until it succeeds.
 */
export class LocalStreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | undefined>();
  private pending: unknown[] = [];
  /** The table's stream, looked up once: the twin creates its tables before polling starts. */
  private streamArn: string | undefined;
  private shards: string[] = [];
  private describedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly endpoint: string,
    private readonly tableName: string,
    private readonly consumer: StreamConsumer,
    private readonly invoke: (name: string, event: unknown) => Promise<unknown>,
    private readonly intervalMs = 250,
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.polling = this.poll()
        .catch((error: unknown) => console.error(`twin stream ${this.consumer.name}:`, error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    this.streams.destroy();
  }

  private async poll(): Promise<void> {
    if (this.pending.length === 0) this.pending = await this.read();
    const records = this.pending.filter((record) =>
      matchesPattern(this.consumer.filter, record as object),
    );
    if (records.length > 0) await this.invoke(this.consumer.name, { Records: records });
    this.pending = [];
  }

  private async latestStreamArn(): Promise<string | undefined> {
    const client = localDynamoClient(this.endpoint);
    const { Table } = await client
      .send(new DescribeTableCommand({ TableName: this.tableName }))
      .finally(() => client.destroy());
    return Table?.LatestStreamArn;
  }

  /**
   * The stream's shards, described again every few seconds rather than on every poll: each call
   * costs DynamoDB Local CPU that the tests under way need, and a new shard only appears when an
   * old one closes (its records are still read through the old shard's iterator meanwhile).
   */
  private async shardsOf(streamArn: string): Promise<string[]> {
    if (this.shards.length === 0 || Date.now() - this.describedAt >= SHARD_REFRESH_MS) {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn }),
      );
      this.shards = (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId as string);
      this.describedAt = Date.now();
    }
    return this.shards;
  }

  /** New records of every shard, in AWS's Lambda event shape. */
  private async read(): Promise<unknown[]> {
    this.streamArn ??= await this.latestStreamArn();
    const streamArn = this.streamArn;
    if (!streamArn) return [];
    const out: unknown[] = [];
    for (const shardId of await this.shardsOf(streamArn)) {
      if (!this.iterators.has(shardId)) {
        const { ShardIterator } = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        this.iterators.set(shardId, ShardIterator);
      }
      const iterator = this.iterators.get(shardId);
      if (!iterator) continue;
      const page = await this.streams
        .send(new GetRecordsCommand({ ShardIterator: iterator }))
        .catch((error: Error) => {
          // DynamoDB Local trims and expires iterators; start the shard over from its oldest record.
          // Records read twice are harmless: consumers are idempotent, as Lambda requires anyway.
          if (!RESTARTABLE.has(error.name)) throw error;
          this.iterators.delete(shardId);
          return undefined;
        });
      if (!page) continue;
      this.iterators.set(shardId, page.NextShardIterator);
      out.push(...(page.Records ?? []).map((record) => lambdaRecord(record, streamArn)));
    }
    return out;
  }
}

const lambdaRecord = (record: _Record, streamArn: string) => {
  const ttl = (record.eventName as string) === LOCAL_TTL_EVENT;
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: ttl ? 'REMOVE' : record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: created ? created.getTime() / 1000 : undefined,
    },
    ...(ttl ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
  };
};
