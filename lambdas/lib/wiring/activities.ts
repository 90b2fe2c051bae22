import { DynamoActivities } from '../adapters/dynamo-activities.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Activities store on the platform table. */
export const activitiesFromEnv = () =>
  new DynamoActivities(documentClientOf(), platformTableName());
