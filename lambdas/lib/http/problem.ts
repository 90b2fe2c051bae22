import { type ProblemCode, problemCatalogue } from '../problem-codes.ts';

/**
 * RFC 9457 problem details. Every error the API returns — from a handler, the twin's gateway, or
 * an API Gateway gateway response — is built here from the problem catalogue, so clients see one
 * format.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://retrysafe.dev/problems/';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly [extension: string]: unknown;
}

/** Builds the problem body for a code, with optional extension members (e.g. `errors`). */
export const problem = (
  code: ProblemCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem => {
  const { status, title } = problemCatalogue[code];
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail, code, ...extensions };
};
