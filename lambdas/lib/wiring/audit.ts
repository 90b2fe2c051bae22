import { DynamoAudit } from '../adapters/dynamo-audit.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Audit store on the platform table. */
export const auditFromEnv = () => new DynamoAudit(documentClientOf(), platformTableName());
