import type { Access } from '../access.ts';

/**
 * Who may call a route. `admin`: the admin token only. `project`: the admin token, or an API key of
 * the project named in the path. `none`: anyone.
 */
export type RouteAuth = 'none' | 'admin' | 'project';

/**
 * One row of the route table (`lambdas/http/routes.ts`). CDK and the twin build the API from the
 * table; each handler hands its own row to `httpRoute` (in its contract, `route-contract.ts`),
 * which applies the auth rule.
 */
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
