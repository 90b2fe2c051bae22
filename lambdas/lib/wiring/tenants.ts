import { DynamoTenants } from '../adapters/dynamo-tenants.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Tenants store on the platform table. */
export const tenantsFromEnv = () => new DynamoTenants(documentClientOf(), platformTableName());
