import { DynamoProjects } from '../adapters/dynamo-projects.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Projects store on the platform table. */
export const projectsFromEnv = () => new DynamoProjects(documentClientOf(), platformTableName());
