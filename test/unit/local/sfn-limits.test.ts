import { describe, expect, it } from 'vitest';
import { AWS_LIMITS } from '../../../infra/local/aws/aws-limits.ts';
import type { LocalWorkflow } from '../../../infra/local/stepfunctions/definitions.ts';
import { LocalExecutions } from '../../../infra/local/stepfunctions/executions.ts';

/**
 * The twin's Step Functions limits on the real engine, with small workflows made for the test:
 * 256 KiB of state data (no Catch handles the breach) and 25,000 history events.
 */

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:limits';

const workflow = (states: Record<string, unknown>, tasks: string[]): LocalWorkflow => ({
  name: 'limits',
  arn: ARN,
  definition: { StartAt: Object.keys(states)[0], States: states as never },
  tasks: new Map(tasks.map((name) => [name, name])),
  retryIntervals: {},
  waits: {},
  timeouts: {},
});

/** A Lambda task that the test's invoker answers, caught on every error by `Recover`. */
const task = (next: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
  Next: next,
});

/** Runs `input` through the workflow; returns the execution and the tasks invoked, in order. */
const execute = async (
  definition: LocalWorkflow,
  answer: (state: string, input: unknown) => unknown,
  input: unknown = {},
) => {
  const invoked: string[] = [];
  const executions = new LocalExecutions([definition], async (state, _fn, taskInput) => {
    invoked.push(state);
    return answer(state, taskInput);
  });
  const { executionArn } = executions.start({ stateMachineArn: ARN, input: JSON.stringify(input) });
  await executions.idle();
  return { execution: executions.describe(executionArn), invoked };
};

/** A string whose JSON text (with its quotes) is exactly `bytes` long. */
const text = (bytes: number) => 'x'.repeat(bytes - 2);

const recover = { Type: 'Pass', End: true };

/** A Lambda task that ends its branch. */
const lambdaTask = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };

describe('Step Functions state data: 256 KiB', () => {
  const twoSteps = workflow(
    {
      Produce: task('Consume'),
      Consume: task('Done'),
      Done: { Type: 'Succeed' },
      Recover: recover,
    },
    ['Produce', 'Consume'],
  );

  it('passes a task result of exactly the limit on to the next state', async () => {
    const { execution, invoked } = await execute(twoSteps, (state) =>
      state === 'Produce' ? text(AWS_LIMITS.stateDataBytes) : 'ok',
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(invoked).toEqual(['Produce', 'Consume']);
  });

  it('fails the execution on one byte more, past every Catch, and runs nothing after it', async () => {
    const { execution, invoked } = await execute(twoSteps, (state) =>
      state === 'Produce' ? text(AWS_LIMITS.stateDataBytes + 1) : 'ok',
    );
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(execution.cause).toContain("task 'Produce'");
    expect(execution.output).toBeUndefined();
    expect(invoked).toEqual(['Produce']);
  });

  it('fails when a Map gathers results past the limit, before the next task runs', async () => {
    const gathering = workflow(
      {
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'Piece', States: { Piece: lambdaTask } },
          ResultPath: '$.pieces',
          Next: 'After',
        },
        After: task('Done'),
        Done: { Type: 'Succeed' },
        Recover: recover,
      },
      ['Piece', 'After'],
    );
    // 30 results of 10,000 bytes each: every one fits, together they do not.
    const { execution, invoked } = await execute(
      gathering,
      (state) => (state === 'Piece' ? text(10_000) : 'ok'),
      { items: Array.from({ length: 30 }, (_, i) => i) },
    );
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(execution.cause).toContain("state 'Fan'");
    expect(invoked.filter((s) => s === 'After')).toEqual([]);
  });

  it('refuses an execution input over the limit at its first state', async () => {
    const { execution, invoked } = await execute(twoSteps, () => 'ok', {
      pad: text(AWS_LIMITS.stateDataBytes),
    });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(invoked).toEqual([]);
  });
});

describe('Step Functions history: 25,000 events', () => {
  it('fails an execution whose Map runs past the history limit, with the cause AWS gives', async () => {
    const wide = workflow(
      {
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 10,
          ItemProcessor: { StartAt: 'Piece', States: { Piece: lambdaTask } },
          ResultPath: null,
          End: true,
        },
      },
      ['Piece'],
    );
    // Seven events per iteration (iteration started and succeeded, state entered and exited,
    // function scheduled, started and succeeded): 3,600 iterations need 25,200.
    const { execution, invoked } = await execute(wide, () => 'ok', {
      items: Array.from({ length: 3600 }, (_, i) => i),
    });
    expect(execution).toMatchObject({
      status: 'FAILED',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    expect(invoked.length).toBeLessThan(3600);
  });
});
