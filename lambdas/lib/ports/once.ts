/**
 * Does a side effect at most once per key: claim a record, do the effect, mark it done with its
 * result. A later call with the same key returns the recorded result without the effect.
 */
export interface OnceLedger {
  once<T extends Record<string, unknown>>(
    scope: { projectId: string; dedupeKey: string },
    effect: () => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }>;
}
