/**
 * Fault injection by name, `<target>:<mode>[:n]`, comma-separated; without `n` a fault fires
 * every time. Set from `RETRYSAFE_FAULTS` at start, or at run time through `/v1/_dev/faults`.
 * - `step.<State>:fail` — the task fails before doing anything;
 * - `step.<State>:lose-response` — the effect happens, the result is lost (retryable error);
 * - `step.<State>:timeout` — the effect happens, the attempt stalls right after its external
 *   effect and Step Functions sees `States.Timeout`; the attempt finishes while the retry runs;
 * - `step.<State>:crash` — the process dies right after the external effect, before the
 *   bookkeeping that records it (a claim left in progress, a record not confirmed);
 * - `step.<State>:duplicate` — the task is invoked twice, concurrently, with the same input;
 * - `provider.charge|provider.refund:fail|lose-response|timeout` — at the payment fake;
 * - `webhook:fail` — a delivery attempt fails before it reaches the receiver;
 * - `mail:fail` — the mail service rejects the send.
 * A fault may end in `@<subject>`: it then fires only for work about that subject — a task whose
 * input has that value in a top-level field or one level below (a project, order, event or run
 * id), a payment call whose metadata (or whose payment intent's metadata) has it, a mail to that
 * address. Scoped faults let tests run many sagas side by side in one twin, each with its own.
 * How each is applied: `stepfunctions/task-invoker.ts` (steps), `stripe/stripe-fake.ts`, the sink mailer.
 */
export type FaultMode = 'fail' | 'lose-response' | 'timeout' | 'crash' | 'duplicate';

export interface Fault {
  readonly target: string;
  readonly mode: FaultMode;
  /** Fires only for work about this subject (`@<subject>`); undefined: for any. */
  readonly subject?: string;
  /** Firings left; `null` means unlimited. */
  remaining: number | null;
  /** How many times it fired, so a test can tell a fault that injected nothing. */
  fired: number;
}

/** Every mode, in the order the fault matrix lists them. */
export const MODES: readonly FaultMode[] = [
  'fail',
  'lose-response',
  'timeout',
  'crash',
  'duplicate',
];

/** The modes the Stripe fake applies (`stripe-fake.ts`). */
const PROVIDER_MODES: readonly FaultMode[] = ['fail', 'lose-response', 'timeout'];

/** Which modes each target takes; anything else names nothing the twin would ever inject. */
export type FaultCatalogue = ReadonlyMap<string, readonly FaultMode[]>;

/**
 * The targets of a twin whose state machines have these Task states: `step.<State>` with every
 * mode, the payment fake's two calls, webhook delivery and the mail sink.
 */
export const faultCatalogue = (taskStates: Iterable<string>): FaultCatalogue =>
  new Map<string, readonly FaultMode[]>([
    ...[...taskStates].sort().map((state) => [`step.${state}`, MODES] as const),
    ['provider.charge', PROVIDER_MODES],
    ['provider.refund', PROVIDER_MODES],
    ['webhook', ['fail']],
    ['mail', ['fail']],
  ]);

/** A fault list that names a target, mode or count the twin does not know. */
export class BadFaultSpec extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadFaultSpec';
  }
}

const SYNTAX = `<target>:<${MODES.join('|')}>[:<n ≥ 1>][@<subject>]`;

const checkEntry = (entry: string, target: string, mode: string, catalogue: FaultCatalogue) => {
  const modes = catalogue.get(target);
  if (!modes) {
    const known = [...catalogue.keys()];
    const steps = known.filter((name) => name.startsWith('step.')).map((name) => name.slice(5));
    throw new BadFaultSpec(
      target.startsWith('step.')
        ? `Bad fault "${entry}": no Task state "${target.slice(5)}" in statemachines/*.asl.json (Task states: ${steps.join(', ')})`
        : `Bad fault "${entry}": unknown target "${target}" (targets: step.<State>, ${known.filter((name) => !name.startsWith('step.')).join(', ')})`,
    );
  }
  if (!modes.includes(mode as FaultMode))
    throw new BadFaultSpec(
      `Bad fault "${entry}": ${target} takes ${modes.join('|')}, not "${mode}"`,
    );
};

/**
 * Parses a comma-separated fault list against the twin's catalogue; throws {@link BadFaultSpec}
 * naming the first bad entry, so a typo fails loudly instead of arming a fault that never fires.
 */
export const parseFaults = (spec: string, catalogue: FaultCatalogue): Fault[] =>
  spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.indexOf('@');
      const subject = at === -1 ? undefined : entry.slice(at + 1);
      const [target, mode, count, ...rest] = (at === -1 ? entry : entry.slice(0, at)).split(':');
      const n = count === undefined ? null : Number(count);
      if (
        !target ||
        mode === undefined ||
        rest.length > 0 ||
        (n !== null && (!/^[0-9]+$/.test(count ?? '') || n < 1)) ||
        subject === ''
      ) {
        throw new BadFaultSpec(`Bad fault "${entry}": expected ${SYNTAX}`);
      }
      checkEntry(entry, target, mode, catalogue);
      return {
        target,
        mode: mode as FaultMode,
        ...(subject ? { subject } : {}),
        remaining: n,
        fired: 0,
      };
    });

/** The active faults of one twin. */
export class Faults {
  private faults: Fault[] = [];

  /** `catalogue` defaults to the targets outside the state machines (no `step.*`). */
  constructor(
    spec = '',
    private readonly catalogue: FaultCatalogue = faultCatalogue([]),
  ) {
    this.set(spec);
  }

  /** Replaces every fault with the ones in `spec`; a bad spec changes nothing. */
  set(spec: string): void {
    this.faults = parseFaults(spec, this.catalogue);
  }

  /**
   * Replaces the faults scoped to `subject` with `spec`'s entries, each scoped to it; the faults
   * of every other subject stay as they are. A bad spec changes nothing.
   */
  setFor(subject: string, spec: string): void {
    const scoped = parseFaults(spec, this.catalogue).map((fault) => ({ ...fault, subject }));
    this.faults = [...this.faults.filter((fault) => fault.subject !== subject), ...scoped];
  }

  /** The armed faults, each with how many firings it has left and how many it made. */
  list(): readonly Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /**
   * True (and one firing used up) when a fault for this target and mode is armed, unscoped or
   * scoped to one of `subjects` (the ids the work is about).
   */
  take(target: string, mode: FaultMode, subjects: readonly string[] = []): boolean {
    const fault = this.faults.find(
      (f) =>
        f.target === target &&
        f.mode === mode &&
        f.remaining !== 0 &&
        (f.subject === undefined || subjects.includes(f.subject)),
    );
    if (!fault) return false;
    if (fault.remaining !== null) fault.remaining -= 1;
    fault.fired += 1;
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

/** What an injected `crash` throws: the runtime's answer when the process exits mid-invocation. */
export class ProcessCrashed extends Error {
  constructor(target: string) {
    super(`Injected fault: the process running ${target} exited`);
    this.name = 'Runtime.ExitError';
  }
}

/** What an injected `timeout` throws: Step Functions' own timeout error. */
export class StatesTimeout extends Error {
  constructor(target: string) {
    super(`Injected fault: ${target} timed out`);
    this.name = 'States.Timeout';
  }
}
