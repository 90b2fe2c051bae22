import { startDynamoDbLocal } from '../../infra/local/dynamodb/dynamodb-local.ts';

/** A process that starts DynamoDB Local, prints the java pid and waits to be killed (hygiene test). */
const dynamo = await startDynamoDbLocal();
console.log(`PID ${dynamo.pid}`);
setInterval(() => undefined, 1000);
