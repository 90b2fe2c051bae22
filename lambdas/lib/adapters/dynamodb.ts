import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability.ts';

let client: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The process's one DynamoDB client, traced by X-Ray. Adapters and the Powertools persistence
 * layer share it, so a middleware added here (the benchmark's call counter) sees every call.
 * The endpoint comes from the SDK's own configuration (`AWS_ENDPOINT_URL_DYNAMODB` in the twin).
 */
export const dynamoClient = (): DynamoDBClient => {
  client ??= tracer.captureAWSv3Client(new DynamoDBClient({}));
  return client;
};

/** Document client over {@link dynamoClient}, with `undefined` values dropped on write. */
export const documentClientOf = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
};
