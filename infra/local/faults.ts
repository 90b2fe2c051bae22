/**
 * Fault injection by name (docs/twin.md): `step.<StateName>:fail[:n]`,
 * `step.<StateName>:lose-response[:n]`, `provider.charge:lose-response[:n]`,
 * `provider.charge:timeout[:n]`, `webhook:fail[:n]`. Without `n` a fault fires every time.
 * Set from `RETRYSAFE_FAULTS` at start, or at run time through `/v1/_dev/faults`.
 */
export type FaultMode = 'fail' | 'lose-response' | 'timeout';

export interface Fault {
  readonly target: string;
  readonly mode: FaultMode;
  /** Firings left; `null` means unlimited. */
  remaining: number | null;
}

const MODES: readonly FaultMode[] = ['fail', 'lose-response', 'timeout'];

/** Parses a comma-separated fault list; throws a readable error on a bad entry. */
export const parseFaults = (spec: string): Fault[] =>
  spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [target, mode, count, ...rest] = entry.split(':');
      const n = count === undefined ? null : Number(count);
      if (
        !target ||
        !MODES.includes(mode as FaultMode) ||
        rest.length > 0 ||
        (n !== null && (!Number.isInteger(n) || n < 1))
      ) {
        throw new Error(
          `Bad fault "${entry}": expected <target>:<fail|lose-response|timeout>[:<n ≥ 1>]`,
        );
      }
      return { target, mode: mode as FaultMode, remaining: n };
    });

/** The active faults of one twin. */
export class Faults {
  private faults: Fault[] = [];

  constructor(spec = '') {
    this.set(spec);
  }

  /** Replaces every fault with the ones in `spec`. */
  set(spec: string): void {
    this.faults = parseFaults(spec);
  }

  list(): readonly Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** True (and one firing used up) when a fault for this target and mode is armed. */
  take(target: string, mode: FaultMode): boolean {
    const fault = this.faults.find(
      (f) => f.target === target && f.mode === mode && f.remaining !== 0,
    );
    if (!fault) return false;
    if (fault.remaining !== null) fault.remaining -= 1;
    return true;
  }
}

/** What an injected `fail` throws; retryable, like any transient error. */
export class InjectedFault extends Error {
  constructor(target: string) {
    super(`Injected fault: ${target} failed`);
    this.name = 'InjectedFault';
  }
}

/** What an injected `lose-response` throws after the effect happened. */
export class LostResponse extends Error {
  constructor(target: string) {
    super(`Injected fault: the response of ${target} was lost`);
    this.name = 'LostResponse';
  }
}
