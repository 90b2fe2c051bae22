/**
 * The misfire policies and catch-up bounds an activity may choose. Kept apart from the planning
 * in `misfires.ts` so the API's request schemas can name them without bundling the schedule
 * parser (cron-parser and luxon) into every HTTP function.
 */
export const MISFIRE_POLICIES = ['skip', 'catchup', 'compress'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

/** `maxCatchup` when the activity does not set one; the API accepts 1–`MAX_CATCHUP`. */
export const DEFAULT_MAX_CATCHUP = 10;
export const MAX_CATCHUP = 100;
