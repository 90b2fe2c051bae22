import { DynamoProjectEvents } from '../adapters/dynamo-project-events.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the ProjectEvents store on the platform table. */
export const eventsFromEnv = () => new DynamoProjectEvents(documentClientOf(), platformTableName());
