import { ENV, requireEnv } from '../config.ts';

/**
 * Production wiring lives in `lambdas/lib/wiring/`: one small module per store, read from the
 * environment at cold start, so a handler bundles only the adapters it uses. Tests pass other
 * adapters to `makeHandler` instead.
 */
export const platformTableName = (): string => requireEnv(ENV.platformTable);
