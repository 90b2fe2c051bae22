import { DynamoOrders } from '../adapters/dynamo-orders.ts';
import { documentClientOf } from '../adapters/dynamodb.ts';
import { platformTableName } from './platform-table.ts';

/** Production wiring: the Orders store on the platform table. */
export const ordersFromEnv = () => new DynamoOrders(documentClientOf(), platformTableName());
