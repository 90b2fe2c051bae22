import { ENV, requireEnv } from '../config.ts';
import { DynamoActivities } from './dynamo-activities.ts';
import { DynamoApiKeys } from './dynamo-api-keys.ts';
import { DynamoAudit } from './dynamo-audit.ts';
import { DynamoOnce } from './dynamo-once.ts';
import { DynamoOrders } from './dynamo-orders.ts';
import { DynamoProjectEvents } from './dynamo-project-events.ts';
import { DynamoProjects } from './dynamo-projects.ts';
import { DynamoRuns } from './dynamo-runs.ts';
import { DynamoTenants } from './dynamo-tenants.ts';
import { DynamoWebhookEndpoints } from './dynamo-webhook-endpoints.ts';
import { documentClientOf } from './dynamodb.ts';

/**
 * Production wiring of the DynamoDB adapters, read from the environment at cold start. Handlers
 * call these for their default deps; tests pass other adapters to `makeHandler`.
 */
export const platformTableName = (): string => requireEnv(ENV.platformTable);

export const projectsFromEnv = () => new DynamoProjects(documentClientOf(), platformTableName());

export const tenantsFromEnv = () => new DynamoTenants(documentClientOf(), platformTableName());

export const onceFromEnv = () => new DynamoOnce(documentClientOf(), platformTableName());

export const apiKeysFromEnv = () => new DynamoApiKeys(documentClientOf(), platformTableName());

export const auditFromEnv = () => new DynamoAudit(documentClientOf(), platformTableName());

export const eventsFromEnv = () => new DynamoProjectEvents(documentClientOf(), platformTableName());

export const ordersFromEnv = () => new DynamoOrders(documentClientOf(), platformTableName());

export const activitiesFromEnv = () =>
  new DynamoActivities(documentClientOf(), platformTableName());

export const runsFromEnv = () => new DynamoRuns(documentClientOf(), platformTableName());

export const endpointsFromEnv = () =>
  new DynamoWebhookEndpoints(documentClientOf(), platformTableName());

/** The wall clock; injected so tests can pin time. */
export const systemClock = (): Date => new Date();
