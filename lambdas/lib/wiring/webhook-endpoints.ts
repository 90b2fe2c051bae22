import { DynamoWebhookEndpoints } from '../adapters/dynamo-webhook-endpoints.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the WebhookEndpoints store on the platform table. */
export const endpointsFromEnv = () =>
  new DynamoWebhookEndpoints(documentClientOf(), platformTableName());
