import type { Access } from '#lib/access.ts';

/**
 * Who may call a route. `admin`: the admin token only. `project`: the admin token, or an API key of
 * the project named in the path. `none`: anyone.
 */
export type RouteAuth = 'none' | 'admin' | 'project';

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the `/v1` stage, API Gateway style: `/projects/{projectId}`. */
  readonly path: string;
  /** Function name: the CDK construct id and the twin's function name. */
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly auth: RouteAuth;
  readonly access: Access;
}

/**
 * The one route table. CDK builds the API Gateway resources and one function per route from it;
 * the twin's gateway serves it; handlers read their auth rule from it.
 */
export const routes = [
  {
    method: 'GET',
    path: '/health',
    name: 'GetHealth',
    entry: 'lambdas/http/get-health.ts',
    auth: 'none',
    access: {},
  },
  {
    method: 'POST',
    path: '/projects',
    name: 'PostProjects',
    entry: 'lambdas/http/post-projects.ts',
    auth: 'admin',
    access: { platform: 'write', idempotency: true, startExecution: ['provision-project'] },
  },
  {
    method: 'GET',
    path: '/projects/{projectId}',
    name: 'GetProject',
    entry: 'lambdas/http/get-project.ts',
    auth: 'project',
    access: { platform: 'read' },
  },
  {
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
  },
  {
    method: 'POST',
    path: '/projects/{projectId}/keys',
    name: 'PostKeys',
    entry: 'lambdas/http/post-keys.ts',
    auth: 'project',
    access: { platform: 'write', idempotency: true },
  },
  {
    method: 'GET',
    path: '/projects/{projectId}/keys',
    name: 'GetKeys',
    entry: 'lambdas/http/get-keys.ts',
    auth: 'project',
    access: { platform: 'read' },
  },
  {
    method: 'DELETE',
    path: '/projects/{projectId}/keys/{keyId}',
    name: 'DeleteKey',
    entry: 'lambdas/http/delete-key.ts',
    auth: 'project',
    access: { platform: 'write' },
  },
  {
    method: 'GET',
    path: '/projects/{projectId}/audit',
    name: 'GetAudit',
    entry: 'lambdas/http/get-audit.ts',
    auth: 'project',
    // The admin secret is the root the cursor signing key is derived from (lib/http/cursors.ts).
    access: { platform: 'read', adminSecret: true },
  },
  {
    method: 'PUT',
    path: '/projects/{projectId}/webhook',
    name: 'PutWebhook',
    entry: 'lambdas/http/put-webhook.ts',
    auth: 'project',
    access: { platform: 'write', idempotency: true, secrets: 'seal' },
  },
  {
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
  },
  {
    method: 'GET',
    path: '/projects/{projectId}/events/{eventId}',
    name: 'GetEvent',
    entry: 'lambdas/http/get-event.ts',
    auth: 'project',
    access: { platform: 'read' },
  },
  {
    method: 'POST',
    path: '/projects/{projectId}/orders/{orderId}/charge',
    name: 'PostCharge',
    entry: 'lambdas/http/post-charge.ts',
    auth: 'project',
    access: { platform: 'write', idempotency: true, startExecution: ['charge-order'] },
  },
  {
    method: 'GET',
    path: '/projects/{projectId}/orders/{orderId}',
    name: 'GetOrder',
    entry: 'lambdas/http/get-order.ts',
    auth: 'project',
    access: { platform: 'read' },
  },
  {
    method: 'PUT',
    path: '/projects/{projectId}/activities/{activityId}',
    name: 'PutActivity',
    entry: 'lambdas/http/put-activity.ts',
    auth: 'project',
    access: { platform: 'write', idempotency: true, schedules: 'manage' },
  },
  {
    method: 'GET',
    path: '/projects/{projectId}/activities/{activityId}/runs',
    name: 'GetRuns',
    entry: 'lambdas/http/get-runs.ts',
    auth: 'project',
    access: { platform: 'read' },
  },
] as const satisfies readonly RouteDefinition[];

export type RouteName = (typeof routes)[number]['name'];

/** The Lambda authorizer, run by API Gateway (and by the twin's gateway) before every `auth` route. */
export const authorizer = {
  name: 'Authorizer',
  entry: 'lambdas/http/authorizer.ts',
  access: { platform: 'read', adminSecret: true },
} as const;

/** Looks a route up by function name; throws on a typo so a handler fails at cold start. */
export const routeNamed = (name: string): RouteDefinition => {
  const route = (routes as readonly RouteDefinition[]).find((r) => r.name === name);
  if (!route) throw new Error(`No route named ${name} in lambdas/http/routes.ts`);
  return route;
};
