import { AWS_LIMITS, payloadSize } from '../aws/aws-limits.ts';

/** Why an execution was stopped by a limit, as DescribeExecution reports it. */
export interface LimitFailure {
  readonly error: string;
  readonly cause: string;
}

/** History events of one Lambda task attempt: scheduled, started, succeeded or failed. */
const TASK_ATTEMPT_EVENTS = 3;

/**
 * History events AWS writes for each engine event (a lower bound: the Map and Parallel states'
 * own start/end events are left out, so the twin never stops an execution AWS would let run).
 * A Lambda task attempt adds {@link TASK_ATTEMPT_EVENTS} more.
 */
const HISTORY_EVENTS: Readonly<Record<string, number>> = {
  ExecutionStarted: 1,
  ExecutionSucceeded: 1,
  ExecutionFailed: 1,
  StateEntered: 1,
  StateExited: 1,
  MapIterationStarted: 1,
  MapIterationSucceeded: 1,
  MapIterationFailed: 1,
};

/**
 * The Step Functions limits aws-local-stepfunctions does not enforce, for one execution:
 * - a state's input or output, and a task's input or result, of at most 256 KiB
 *   (`States.DataLimitExceeded`: no Retry or Catch handles it, the execution fails);
 * - at most 25,000 history events (the execution fails, with the cause AWS reports).
 * A breach calls `stop`, which aborts the engine; the execution is then reported failed with
 * {@link failure}. Task inputs and results are checked before the engine moves on; other
 * states' data through the event log, which the task check drains first (see
 * {@link beforeTask}), so no task runs on data AWS would have refused.
 */
export class ExecutionLimits {
  failure: LimitFailure | undefined;
  private history = 0;

  constructor(private readonly stop: () => void) {}

  /** Counts and checks one engine event (`{type, state?: {name, input, output}}`). */
  observe(event: { type: string; state?: { name?: string; input?: unknown; output?: unknown } }) {
    // Event 25,000 may still be the execution's success; anything else there fails it.
    this.count(HISTORY_EVENTS[event.type] ?? 0, event.type === 'ExecutionSucceeded');
    const name = event.state?.name ?? '';
    if (event.type === 'StateEntered')
      this.checkData(`The input of state '${name}'`, event.state?.input);
    if (event.type === 'StateExited')
      this.checkData(`The output of state '${name}'`, event.state?.output);
  }

  /**
   * Runs before a task invokes its function: lets the event log catch up (it is read one turn
   * of the event loop later), then checks the task's own input. False when the execution has
   * been stopped and the task must not run.
   */
  async beforeTask(state: string, input: unknown): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    this.checkData(`The input of task '${state}'`, input);
    this.count(TASK_ATTEMPT_EVENTS);
    return this.failure === undefined;
  }

  /** Checks a task's result before the engine continues with it. */
  afterTask(state: string, result: unknown): boolean {
    this.checkData(`The result of task '${state}'`, result);
    return this.failure === undefined;
  }

  private checkData(what: string, data: unknown): void {
    const size = payloadSize(data);
    if (size > AWS_LIMITS.stateDataBytes) {
      this.fail({
        error: 'States.DataLimitExceeded',
        cause: `${what} has a size of ${size} bytes, exceeding the maximum number of bytes service limit (${AWS_LIMITS.stateDataBytes}).`,
      });
    }
  }

  private count(events: number, final = false): void {
    this.history += events;
    if (
      this.history > AWS_LIMITS.historyEvents ||
      (this.history === AWS_LIMITS.historyEvents && !final)
    ) {
      this.fail({
        // AWS logs ExecutionFailed with this cause; the twin names the error States.Runtime.
        error: 'States.Runtime',
        cause: `The execution reached the maximum number of history events (${AWS_LIMITS.historyEvents}).`,
      });
    }
  }

  private fail(failure: LimitFailure): void {
    if (this.failure) return;
    this.failure = failure;
    this.stop();
  }
}
