import { DynamoOnce } from '../adapters/dynamo-once.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Once store on the platform table. */
export const onceFromEnv = () => new DynamoOnce(documentClientOf(), platformTableName());
