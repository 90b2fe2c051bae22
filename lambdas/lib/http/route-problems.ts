import { type ProblemCode, problemCatalogue } from '../problem-codes.ts';
import type { RouteContract } from './route-contract.ts';

/** Answered on any route, by the stage or the function: throttling, a bug, a failed or slow function. */
const ANY_ROUTE: readonly ProblemCode[] = [
  'too_many_requests',
  'internal_error',
  'bad_gateway',
  'gateway_timeout',
];

/** What `readJsonBody` refuses (lib/http/request.ts). */
const BODY: readonly ProblemCode[] = [
  'malformed_json',
  'json_too_deep',
  'validation_failed',
  'payload_too_large',
  'unsupported_media_type',
];

/** What the idempotency layer answers (lib/http/idempotency.ts). */
const IDEMPOTENT: readonly ProblemCode[] = [
  'idempotency_request_in_progress',
  'idempotency_key_reused',
  'service_unavailable',
];

/**
 * The problem codes a route can answer with, in catalogue order. Most follow from the route
 * itself, as `httpRoute` and the gateway treat it; the contract adds what only its use case
 * raises (`problems`):
 * - every route: 429, 500, 502, 504 (throttling, a bug, a failed function, a timeout);
 * - behind the authorizer: 401 `unauthorized`; an `admin` route 403 `forbidden` for a project
 *   key, a `project` route 404 `not_found` for another project's path;
 * - path parameters: 400 `invalid_path_parameter`, and `invalid_path` for an undecodable segment;
 * - a query schema: 400 `invalid_query_parameter`;
 * - a body schema: 400 `malformed_json`, `json_too_deep`, `validation_failed`; 413; 415;
 * - any method but GET reads the Idempotency-Key: 400 `idempotency_key_invalid`;
 * - an idempotent route (`access.idempotency`): 409 `idempotency_request_in_progress`, 422
 *   `idempotency_key_reused`, 503 `service_unavailable` (the idempotency store is down).
 */
export const routeProblems = (contract: RouteContract): ProblemCode[] => {
  const { route } = contract;
  const codes = new Set<ProblemCode>([...ANY_ROUTE, ...(contract.problems ?? [])]);
  const add = (more: readonly ProblemCode[]) => {
    for (const code of more) codes.add(code);
  };
  if (route.auth !== 'none') add(['unauthorized']);
  if (route.auth === 'admin') add(['forbidden']);
  if (route.auth === 'project') add(['not_found']);
  if (contract.params) add(['invalid_path_parameter', 'invalid_path']);
  if (contract.query) add(['invalid_query_parameter']);
  if (contract.body) add(BODY);
  if (route.method !== 'GET') add(['idempotency_key_invalid']);
  if (route.access.idempotency) add(IDEMPOTENT);
  return (Object.keys(problemCatalogue) as ProblemCode[]).filter((code) => codes.has(code));
};
