import { randomBytes } from 'node:crypto';
import { DeleteItemCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { startTwin, type Twin, type TwinOptions } from '../../infra/local/twin.ts';
import { type Api, apiClient } from './api.ts';

export interface TestTwin {
  /** The running twin (available inside tests, after beforeAll). */
  readonly twin: Twin;
  /** HTTP client for the twin's API, with the admin token by default. */
  readonly api: Api;
  /** Every item of a table, unmarshalled (to count what a request wrote). */
  scan(table: 'platform' | 'idempotency'): Promise<Record<string, unknown>[]>;
  /** Waits until no execution is running. */
  idle(): Promise<void>;
  /**
   * Deletes every item of both tables once nothing runs: for a long run that would otherwise
   * carry thousands of rows into every later scan. The twin's in-memory state (executions,
   * schedules) stays; what a test needs afterwards it creates anew.
   */
  clear(): Promise<void>;
}

export interface UseTwinOptions {
  /**
   * Start a DynamoDB Local for this file alone instead of using the run's shared one. Needed where
   * a test waits for TTL deletions: DynamoDB Local 3.3's TTL sweeper deletes expired items about
   * every 10 s with up to ~10 tables, but stopped deleting at all (measured: nothing in 3 minutes)
   * once one instance held 20 tables — and the shared instance holds two per test file.
   */
  readonly ownDynamoDb?: boolean;
}

/**
 * Starts an in-process twin for this test file on the run's shared DynamoDB Local, with tables
 * of its own and an ephemeral port; stops it after the file.
 */
export const useTwin = (options: TwinOptions & UseTwinOptions = {}): TestTwin => {
  const { ownDynamoDb, ...twinOptions } = options;
  let twin: Twin | undefined;
  let api: Api | undefined;
  // One client for every scan of the file: the fuzz scans around each of thousands of requests.
  let scanner: DynamoDBClient | undefined;
  const started = (): Twin => {
    if (!twin) throw new Error('The twin is not started yet (use it inside a test)');
    return twin;
  };
  beforeAll(async () => {
    twin = await startTwin({
      port: 0,
      // Without an endpoint the twin starts a DynamoDB Local of its own.
      dynamoEndpoint: ownDynamoDb ? undefined : inject('dynamoEndpoint'),
      tablePrefix: `t${randomBytes(4).toString('hex')}-`,
      logLevel: 'SILENT',
      // Fires come from the tests (dev route), not the wall clock, so results do not depend on when
      // the suite runs.
      schedulerTimers: false,
      // A slow answer is not what these tests are about (test/unit/local/gateway-timeout.test.ts is).
      gatewayTimeoutMs: 600_000,
      // Likewise a Stripe answer: one request on a starved CI machine took longer than 1 s. Fault
      // tests that time requests out on purpose set their own, shorter timeout.
      stripeTimeoutMs: 20_000,
      // And Lambda's own timeouts (10–30 s): a handler that takes milliseconds here can take seconds
      // on a starved machine. test/unit/local/function-timeout.test.ts checks the cut-off itself.
      lambdaTimeoutFactor: 3,
      ...twinOptions,
    });
    api = apiClient(twin.url, twin.adminToken);
  });
  afterAll(async () => {
    scanner?.destroy();
    await twin?.stop();
  });
  const testTwin: TestTwin = {
    get twin() {
      return started();
    },
    get api() {
      started();
      return api as Api;
    },
    scan: async (table) => {
      scanner ??= localDynamoClient(started().dynamoEndpoint);
      const client = scanner;
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: started().tables[table], ExclusiveStartKey }),
        );
        items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
        ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (ExclusiveStartKey);
      return items;
    },
    idle: () => started().executions.idle(),
    clear: async () => {
      await started().executions.idle();
      for (const [table, keys] of [
        ['platform', ['pk', 'sk']],
        ['idempotency', ['id']],
      ] as const) {
        for (const row of await testTwin.scan(table)) {
          const Key = Object.fromEntries(keys.map((k) => [k, { S: String(row[k]) }]));
          await (scanner as DynamoDBClient).send(
            new DeleteItemCommand({ TableName: started().tables[table], Key }),
          );
        }
      }
    },
  };
  return testTwin;
};
