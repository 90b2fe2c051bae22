import './polyfills.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import { AwsError } from '../aws/aws-error.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';
import type { LocalWorkflow } from './definitions.ts';
import { ExecutionLimits } from './execution-limits.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One execution, as DescribeExecution reports it, plus the states it went through. */
export interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** aws-local-stepfunctions event log entries: `{type, state?}` in order. */
  readonly events: { type: string; state?: string }[];
}

/** Runs one Task state's function; the engine maps Task states to functions by name. */
export type TaskInvoker = (
  stateName: string,
  functionName: string,
  input: unknown,
  stateMachineArn?: string,
) => Promise<unknown>;

// AWS: 1–80 characters, none of: whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / or controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: AWS forbids control characters in names; this is that check.
const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/**
 * The twin's Step Functions: runs the ASL files with aws-local-stepfunctions and keeps an
 * execution registry with AWS's StartExecution semantics for STANDARD workflows — the same name
 * and input while running returns the running execution; after it closed, or with another input,
 * `ExecutionAlreadyExists`; names are checked against AWS's rules.
 */
export class LocalExecutions {
  private readonly machines = new Map<
    string,
    { workflow: LocalWorkflow; machine?: StateMachine }
  >();
  private readonly executions = new Map<string, Execution>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();

  constructor(
    workflows: readonly LocalWorkflow[],
    private readonly invokeTask: TaskInvoker,
    /** Work that outlives its task's answer (timed-out or duplicate attempts), to wait for. */
    private readonly background: () => Promise<void> = async () => undefined,
  ) {
    // A StateMachine validates its definition when built (~0.3 s each), so it is built on the
    // first execution rather than at start-up.
    for (const workflow of workflows) this.machines.set(workflow.arn, { workflow });
  }

  start(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: Date;
  } {
    const entry = this.machines.get(request.stateMachineArn ?? '');
    if (!entry)
      throw new AwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    const name = request.name ?? crypto.randomUUID();
    if (name.length < 1 || name.length > 80 || FORBIDDEN_IN_NAME.test(name)) {
      throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
    }
    const input = request.input ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new AwsError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: not JSON',
      );
    }
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${entry.workflow.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: entry.workflow.arn,
      name,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      events: [],
    };
    this.executions.set(executionArn, execution);
    this.run(entry, execution, parsed);
    return { executionArn, startDate: execution.startDate };
  }

  describe(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  list(stateMachineArn: string, statusFilter?: ExecutionStatus): Execution[] {
    if (!this.machines.has(stateMachineArn)) {
      throw new AwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return [...this.executions.values()]
      .filter(
        (e) =>
          e.stateMachineArn === stateMachineArn && (!statusFilter || e.status === statusFilter),
      )
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Resolves when no execution is running (new ones started meanwhile included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
    await this.background();
  }

  /** Aborts every running execution and waits for them to settle. */
  async stop(): Promise<void> {
    for (const run of this.running.values()) run.abort();
    await this.idle();
  }

  private run(
    entry: { workflow: LocalWorkflow; machine?: StateMachine },
    execution: Execution,
    input: unknown,
  ): void {
    const { workflow } = entry;
    entry.machine ??= new StateMachine(workflow.definition as never);
    // Set before the engine runs; the limits stop the execution through it.
    let abort: () => void = () => undefined;
    const limits = new ExecutionLimits(() => abort());
    // A task stopped by a limit never answers: the abort settles the execution instead.
    const stopped = new Promise<never>(() => undefined);
    const taskResourceLocalHandlers = Object.fromEntries(
      [...workflow.tasks].map(([stateName, functionName]) => [
        stateName,
        async (taskInput: unknown) => {
          if (!(await limits.beforeTask(stateName, taskInput))) return stopped;
          const result = await this.invokeTask(stateName, functionName, taskInput, workflow.arn);
          return limits.afterTask(stateName, result) ? (result as never) : stopped;
        },
      ]),
    );
    const handle = entry.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers,
        retryIntervalOverrides: workflow.retryIntervals,
        waitTimeOverrides: workflow.waits,
      },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          Input: input,
          StartTime: execution.startDate.toISOString(),
        },
        StateMachine: { Id: workflow.arn, Name: workflow.name },
      } as never,
    });
    abort = () => handle.abort();
    const logEvents = (async () => {
      for await (const event of handle.eventLogs) {
        limits.observe(event as never);
        const state = (event as { state?: { name?: string } }).state?.name;
        execution.events.push({ type: event.type, ...(state ? { state } : {}) });
      }
    })().catch(() => undefined);
    const done = handle.result
      .then((output) => {
        execution.status =
          output === null && execution.status === 'ABORTED' ? 'ABORTED' : 'SUCCEEDED';
        execution.output = JSON.stringify(output);
      })
      .catch((error: Error) => {
        const caught = (error.cause ?? error) as Error;
        execution.status = error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
        execution.error = caught.name;
        execution.cause = caught.message;
      })
      .then(() => logEvents)
      .then(() => {
        if (!limits.failure) return;
        execution.status = 'FAILED';
        execution.error = limits.failure.error;
        execution.cause = limits.failure.cause;
        delete execution.output;
      })
      .finally(() => {
        execution.stopDate = new Date();
        this.running.delete(execution.executionArn);
      });
    this.running.set(execution.executionArn, {
      abort: () => {
        execution.status = 'ABORTED';
        handle.abort();
      },
      done,
    });
  }
}
