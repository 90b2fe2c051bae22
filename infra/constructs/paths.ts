import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. Route, step and workflow modules name their files relative to it, so CDK
 * resolves them from here instead of from whatever directory `cdk` happens to run in.
 */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a repository-relative file such as `lambdas/http/get-health.ts`. */
export const fromRepoRoot = (relative: string): string => join(repoRoot, relative);
