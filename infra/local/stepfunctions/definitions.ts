import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STEP_FUNCTION_TIMEOUT_SECONDS } from '../../../lambdas/lib/retry-timing.ts';
import { type WorkflowDefinition, workflows } from '../../../lambdas/lib/workflows.ts';
import { substitute, substitutionsFor } from '../../substitutions.ts';
import { localFunctionArn, localStateMachineArn } from '../aws/constants.ts';
import { REPO_ROOT } from '../lambda/functions.ts';

/** An ASL state, loosely typed: the twin reads only a few fields. */
export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  Retry?: {
    IntervalSeconds?: number;
    MaxAttempts?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
  }[];
  TimeoutSeconds?: number;
  Seconds?: number;
  States?: Record<string, AslState>;
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

export interface LocalWorkflow {
  readonly name: string;
  readonly arn: string;
  readonly definition: { States: Record<string, AslState> } & Record<string, unknown>;
  /** Task state name → name of the function it invokes. */
  readonly tasks: ReadonlyMap<string, string>;
  /** State name → its retriers' intervals, scaled for the twin. */
  readonly retryIntervals: Readonly<Record<string, number[]>>;
  /** Wait state name → its pause, scaled for the twin (Seconds waits only). */
  readonly waits: Readonly<Record<string, number>>;
  /** Task state name → when its attempt times out (ms, scaled): its own or its Lambda's timeout. */
  readonly timeouts: Readonly<Record<string, number>>;
}

/**
 * The pause that makes a retrier's whole window (all attempts, backoff and cap applied, without
 * jitter) the same as in AWS: aws-local-stepfunctions takes one fixed pause per retrier, so the
 * pause is the window's mean. Lease and retry window then keep their relation in the twin.
 */
export const meanRetryPauseSeconds = (retrier: NonNullable<AslState['Retry']>[number]): number => {
  const attempts = retrier.MaxAttempts ?? 3;
  if (attempts === 0) return retrier.IntervalSeconds ?? 1;
  return retryWindowSeconds(retrier) / attempts;
};

/** A retrier's whole window in seconds: every pause, with backoff and cap, without jitter. */
export const retryWindowSeconds = (retrier: NonNullable<AslState['Retry']>[number]): number => {
  let total = 0;
  for (let k = 0; k < (retrier.MaxAttempts ?? 3); k++) {
    const pause = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** k;
    total += Math.min(pause, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  }
  return total;
};

/**
 * Loads a workflow's ASL file and applies the same substitution map CDK uses, with local
 * function ARNs. aws-local-stepfunctions overrides tasks by state name, so this also walks the
 * states (nested Map and Parallel ones too) to learn which function each Task invokes.
 * `timeScale` shrinks retry windows, task timeouts and Wait states (0.01: one second becomes
 * 10 ms); the handlers scale their claim leases by the same factor.
 */
export const loadWorkflow = (workflow: WorkflowDefinition, timeScale: number): LocalWorkflow => {
  const text = readFileSync(resolve(REPO_ROOT, workflow.file), 'utf8');
  return localWorkflow(
    workflow.name,
    substitute(text, substitutionsFor(localFunctionArn)),
    timeScale,
  );
};

/**
 * A rendered definition (placeholders already substituted, Task resources naming local function
 * ARNs) as the twin runs it; the rehearsal passes the one rendered from a synthesized template.
 */
export const localWorkflow = (
  name: string,
  definitionText: string,
  timeScale: number,
): LocalWorkflow => {
  const definition = JSON.parse(definitionText);
  const tasks = new Map<string, string>();
  const retryIntervals: Record<string, number[]> = {};
  const waits: Record<string, number> = {};
  const timeouts: Record<string, number> = {};
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      const arn = state.Parameters?.FunctionName ?? state.Resource;
      if (state.Type === 'Task' && arn?.includes(':function:')) {
        tasks.set(name, arn.split(':function:')[1]?.split(':')[0] ?? '');
        const seconds = Math.min(state.TimeoutSeconds ?? 60, STEP_FUNCTION_TIMEOUT_SECONDS);
        timeouts[name] = Math.round(seconds * 1000 * timeScale);
      }
      if (state.Retry) {
        retryIntervals[name] = state.Retry.map((r) =>
          Math.round(meanRetryPauseSeconds(r) * 1000 * timeScale),
        );
      }
      if (state.Type === 'Wait' && state.Seconds !== undefined) {
        waits[name] = Math.round(state.Seconds * 1000 * timeScale);
      }
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) visit(nested.States);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(definition.States);
  return {
    name,
    arn: localStateMachineArn(name),
    definition,
    tasks,
    retryIntervals,
    waits,
    timeouts,
  };
};

/** Every workflow of the catalogue, loaded. */
export const loadWorkflows = (timeScale: number): LocalWorkflow[] =>
  Object.values(workflows).map((workflow) => loadWorkflow(workflow, timeScale));
