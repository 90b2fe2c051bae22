import type { ProblemCode } from '../problem-codes.ts';
import type * as z from '../zod.ts';
import type { RouteDefinition } from './route-definition.ts';

/**
 * What one route promises: its row of the route table, the zod schemas its handler validates path
 * parameters, query and body with, its 2xx answer and the problems only its use case raises. A
 * handler spreads its contract into `httpRoute`, and the OpenAPI document (`openapi.ts`) is built
 * from the same contracts, so what is validated and what is documented are one set of objects.
 */
export interface RouteContract {
  readonly route: RouteDefinition;
  /** One line for the document. */
  readonly summary: string;
  readonly params?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly body?: z.ZodMiniType;
  /** The 2xx answer: its status, its JSON body, and whether it carries `Location`. */
  readonly success: {
    readonly status: 200 | 201 | 202;
    readonly body: z.ZodMiniType;
    readonly location?: boolean;
  };
  /**
   * Problems the use case answers with beyond those that follow from the route itself (auth,
   * parameters, body, idempotency: see `routeProblems`).
   */
  readonly problems?: readonly ProblemCode[];
}
