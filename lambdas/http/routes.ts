import type { RouteDefinition } from '#lib/http/route-definition.ts';

/*
 * The one route table. CDK builds the API Gateway resources and one function per route from it;
 * the twin's gateway serves it; each handler passes its own row to `httpRoute` (inside its
 * contract, contracts.ts, which also carries the schemas the OpenAPI document is built from), and
 * `httpRoute` reads the auth rule from it.
 */

export const getHealth = {
  method: 'GET',
  path: '/health',
  name: 'GetHealth',
  entry: 'lambdas/http/get-health.ts',
  auth: 'none',
  access: {},
} as const satisfies RouteDefinition;

/** The OpenAPI document of this table, for anyone: it is built from code, never from data. */
export const getOpenApi = {
  method: 'GET',
  path: '/openapi.json',
  name: 'GetOpenApi',
  entry: 'lambdas/http/get-openapi.ts',
  auth: 'none',
  access: {},
} as const satisfies RouteDefinition;

export const postProjects = {
  method: 'POST',
  path: '/projects',
  name: 'PostProjects',
  entry: 'lambdas/http/post-projects.ts',
  auth: 'admin',
  access: { platform: 'write', idempotency: true, startExecution: ['provision-project'] },
} as const satisfies RouteDefinition;

export const getProject = {
  method: 'GET',
  path: '/projects/{projectId}',
  name: 'GetProject',
  entry: 'lambdas/http/get-project.ts',
  auth: 'project',
  access: { platform: 'read' },
} as const satisfies RouteDefinition;

export const deleteProject = {
  method: 'DELETE',
  path: '/projects/{projectId}',
  name: 'DeleteProject',
  entry: 'lambdas/http/delete-project.ts',
  auth: 'admin',
  access: {
    platform: 'write',
    idempotency: true,
    startExecution: ['deprovision-project'],
    describeExecutions: ['deprovision-project'],
  },
} as const satisfies RouteDefinition;

export const postKeys = {
  method: 'POST',
  path: '/projects/{projectId}/keys',
  name: 'PostKeys',
  entry: 'lambdas/http/post-keys.ts',
  auth: 'project',
  access: { platform: 'write', idempotency: true },
} as const satisfies RouteDefinition;

export const getKeys = {
  method: 'GET',
  path: '/projects/{projectId}/keys',
  name: 'GetKeys',
  entry: 'lambdas/http/get-keys.ts',
  auth: 'project',
  access: { platform: 'read' },
} as const satisfies RouteDefinition;

export const deleteKey = {
  method: 'DELETE',
  path: '/projects/{projectId}/keys/{keyId}',
  name: 'DeleteKey',
  entry: 'lambdas/http/delete-key.ts',
  auth: 'project',
  access: { platform: 'write' },
} as const satisfies RouteDefinition;

export const getAudit = {
  method: 'GET',
  path: '/projects/{projectId}/audit',
  name: 'GetAudit',
  entry: 'lambdas/http/get-audit.ts',
  auth: 'project',
  // The admin secret is the root the cursor signing key is derived from (lib/http/cursors.ts).
  access: { platform: 'read', adminSecret: true },
} as const satisfies RouteDefinition;

export const putWebhook = {
  method: 'PUT',
  path: '/projects/{projectId}/webhook',
  name: 'PutWebhook',
  entry: 'lambdas/http/put-webhook.ts',
  auth: 'project',
  access: { platform: 'write', idempotency: true, secrets: 'seal' },
} as const satisfies RouteDefinition;

export const postEvents = {
  method: 'POST',
  path: '/projects/{projectId}/events',
  name: 'PostEvents',
  entry: 'lambdas/http/post-events.ts',
  auth: 'project',
  access: {
    platform: 'write',
    idempotency: true,
    startExecution: ['deliver-webhook'],
    putEvents: ['events'],
  },
} as const satisfies RouteDefinition;

export const getEvent = {
  method: 'GET',
  path: '/projects/{projectId}/events/{eventId}',
  name: 'GetEvent',
  entry: 'lambdas/http/get-event.ts',
  auth: 'project',
  access: { platform: 'read' },
} as const satisfies RouteDefinition;

export const postCharge = {
  method: 'POST',
  path: '/projects/{projectId}/orders/{orderId}/charge',
  name: 'PostCharge',
  entry: 'lambdas/http/post-charge.ts',
  auth: 'project',
  access: { platform: 'write', idempotency: true, startExecution: ['charge-order'] },
} as const satisfies RouteDefinition;

export const getOrder = {
  method: 'GET',
  path: '/projects/{projectId}/orders/{orderId}',
  name: 'GetOrder',
  entry: 'lambdas/http/get-order.ts',
  auth: 'project',
  access: { platform: 'read' },
} as const satisfies RouteDefinition;

export const putActivity = {
  method: 'PUT',
  path: '/projects/{projectId}/activities/{activityId}',
  name: 'PutActivity',
  entry: 'lambdas/http/put-activity.ts',
  auth: 'project',
  access: { platform: 'write', idempotency: true, schedules: 'manage' },
} as const satisfies RouteDefinition;

export const getRuns = {
  method: 'GET',
  path: '/projects/{projectId}/activities/{activityId}/runs',
  name: 'GetRuns',
  entry: 'lambdas/http/get-runs.ts',
  auth: 'project',
  access: { platform: 'read' },
} as const satisfies RouteDefinition;

/** Every route, in the order the API lists them. */
export const routes = [
  getHealth,
  getOpenApi,
  postProjects,
  getProject,
  deleteProject,
  postKeys,
  getKeys,
  deleteKey,
  getAudit,
  putWebhook,
  postEvents,
  getEvent,
  postCharge,
  getOrder,
  putActivity,
  getRuns,
] as const satisfies readonly RouteDefinition[];

/** The Lambda authorizer, run by API Gateway (and by the twin's gateway) before every `auth` route. */
export const authorizer = {
  name: 'Authorizer',
  entry: 'lambdas/http/authorizer.ts',
  access: { platform: 'read', adminSecret: true },
} as const;
