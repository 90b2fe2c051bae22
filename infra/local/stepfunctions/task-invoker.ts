import { AsyncLocalStorage } from 'node:async_hooks';
import { setCrashHook } from '../../../lambdas/lib/crash-point.ts';
import {
  type FaultMode,
  type Faults,
  InjectedFault,
  LostResponse,
  ProcessCrashed,
  StatesTimeout,
} from '../dev/faults.ts';
import type { TaskInvoker } from './executions.ts';

/** What one step attempt was armed with when it started. */
interface Attempt {
  readonly target: string;
  crash: boolean;
  /** Set for a `timeout` or `duplicate`: the attempt stalls at its effect until this settles. */
  stall?: Promise<void>;
  /** Settled once the attempt reached its crash point (or finished without one). */
  reached?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The twin's Lambda invocation for Task states, with the step faults applied:
 * - `fail` throws before the handler runs; `lose-response` throws after it returned;
 * - `crash` throws `Runtime.ExitError` at the handler's first crash point (right after its
 *   external effect, so the bookkeeping that follows never runs) — or, for a step without one,
 *   after the handler finished (its write happened, its answer did not);
 * - `timeout` lets the handler run, stalls it at its crash point past the task's timeout, and
 *   answers `States.Timeout` at that timeout; the stalled attempt then finishes in the background,
 *   while the retry runs;
 * - `duplicate` invokes the handler twice at once with the same input and answers with the
 *   first invocation's outcome; the first is held at its crash point (right after its effect)
 *   until the second has finished, so the second always meets an effect done but not yet
 *   recorded; the second finishes in the background.
 * Background attempts are awaited by {@link TaskFaults.idle}, so tests see their effects.
 */
export class TaskFaults {
  private readonly attempts = new AsyncLocalStorage<Attempt>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly faults: Faults,
    private readonly invoke: (functionName: string, payload: unknown) => Promise<unknown>,
    /** The task's timeout (ms, already scaled) by state name. */
    private readonly timeoutOf: (stateName: string) => number,
  ) {
    setCrashHook((point) => this.atCrashPoint(point));
  }

  /** The invoker the executions use. */
  readonly invoker: TaskInvoker = async (state, fn, input) => {
    const target = `step.${state}`;
    const payload = (input as { Payload?: unknown }).Payload;
    const take = (name: string, mode: FaultMode) =>
      this.faults.take(name, mode, subjectsOf(payload));
    if (take(target, 'fail')) throw new InjectedFault(target);
    // `webhook:fail`: the delivery attempt fails before it reaches the receiver.
    if (fn === 'SendWebhook' && take('webhook', 'fail')) throw new InjectedFault('webhook');
    let answer: Promise<unknown>;
    if (take(target, 'duplicate')) {
      // The worst interleaving for a claim, made certain instead of left to timing: the first
      // invocation is held right after its effect until the second has finished.
      let secondSettled = () => {};
      const held = new Promise<void>((resolve) => {
        secondSettled = resolve;
      });
      const first = this.attempt(target, fn, payload, { stall: held });
      const second = this.attempt(target, fn, payload).finally(secondSettled);
      this.track(second);
      answer = first;
    } else if (take(target, 'timeout')) {
      answer = this.timedOut(state, target, fn, payload);
    } else if (take(target, 'crash')) {
      answer = this.attempt(target, fn, payload, { crash: true });
    } else {
      answer = this.attempt(target, fn, payload);
    }
    const result = await answer;
    if (take(target, 'lose-response')) throw new LostResponse(target);
    return { Payload: result, StatusCode: 200, ExecutedVersion: '$LATEST' };
  };

  /** Resolves when no background attempt is left. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  uninstall(): void {
    setCrashHook(undefined);
  }

  private async attempt(
    target: string,
    fn: string,
    payload: unknown,
    arm: Partial<Attempt> = {},
  ): Promise<unknown> {
    const attempt: Attempt = { target, crash: false, ...arm };
    const result = await this.attempts.run(attempt, () => this.invoke(fn, payload));
    // A crash in a step without a crash point: its write happened, its answer is lost.
    if (attempt.crash && !attempt.reached) throw new ProcessCrashed(target);
    return result;
  }

  private timedOut(state: string, target: string, fn: string, payload: unknown): Promise<never> {
    const timeoutMs = this.timeoutOf(state);
    const release = sleep(timeoutMs * 2);
    this.track(this.attempt(target, fn, payload, { stall: release }));
    return sleep(timeoutMs).then(() => {
      throw new StatesTimeout(target);
    });
  }

  private atCrashPoint(_point: string): Promise<void> | undefined {
    const attempt = this.attempts.getStore();
    if (!attempt || attempt.reached) return undefined;
    attempt.reached = true;
    if (attempt.crash) throw new ProcessCrashed(attempt.target);
    return attempt.stall;
  }

  private track(promise: Promise<unknown>): void {
    const settled = promise.catch(() => undefined).finally(() => this.background.delete(settled));
    this.background.add(settled);
  }
}

/**
 * What a task is about, for scoped faults: the string values of its input's top-level fields and
 * of the objects among them (CompleteRun gets its run as `{ run: { projectId, runId, … } }`).
 */
const subjectsOf = (payload: unknown, depth = 0): string[] =>
  payload !== null && typeof payload === 'object' && !Array.isArray(payload)
    ? Object.values(payload).flatMap((value) =>
        typeof value === 'string' ? [value] : depth === 0 ? subjectsOf(value, 1) : [],
      )
    : [];
