/**
 * A named point right after an external effect and before the bookkeeping that records it. In AWS
 * it does nothing. The twin installs a hook here to inject `step.<State>:crash` faults (the
 * process "dies" at this point) and `step.<State>:timeout` faults (the attempt stalls here), so the effect happened but the claim stays in progress or the
 * record is never confirmed — the window no retry can see into.
 */
export type CrashHook = (point: string) => Promise<void> | undefined;

const HOOK = Symbol.for('retrysafe.crash-point');

type WithHook = typeof globalThis & { [HOOK]?: CrashHook };

/**
 * Marks that an external effect just happened. Resolves at once in AWS; in the twin it may throw
 * (an injected crash) or hold the attempt (an injected timeout).
 */
export const effectDone = async (point: string): Promise<void> => {
  await (globalThis as WithHook)[HOOK]?.(point);
};

/** Installs (or, with undefined, removes) the crash hook; the twin only. */
export const setCrashHook = (hook: CrashHook | undefined): void => {
  (globalThis as WithHook)[HOOK] = hook;
};
