import { DynamoRuns } from '../adapters/dynamo-runs.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Runs store on the platform table. */
export const runsFromEnv = () => new DynamoRuns(documentClientOf(), platformTableName());
