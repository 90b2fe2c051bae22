import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The floor the benchmark compares every function with: the smallest Powertools idempotent
 * handler on DynamoDB, bundled with the functions' own esbuild options.
 */
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: process.env.IDEMPOTENCY_TABLE_NAME ?? 'idempotency',
  awsSdkV3Client: new DynamoDBClient({}),
});

export const handler = makeIdempotent(
  async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) }),
  { persistenceStore },
);
