import { DynamoApiKeys } from '../adapters/dynamo-api-keys.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the ApiKeys store on the platform table. */
export const apiKeysFromEnv = () => new DynamoApiKeys(documentClientOf(), platformTableName());
