import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type WorkflowDefinition, workflows } from '../../../lambdas/lib/workflows.ts';
import { substitute, substitutionsFor } from '../../substitutions.ts';
import { localFunctionArn, localStateMachineArn } from '../constants.ts';
import { REPO_ROOT } from '../functions.ts';

/** An ASL state, loosely typed: the twin reads only a few fields. */
export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  Retry?: { IntervalSeconds?: number }[];
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
}

/**
 * Loads a workflow's ASL file and applies the same substitution map CDK uses, with local
 * function ARNs. aws-local-stepfunctions overrides tasks by state name, so this also walks the
 * states (nested Map and Parallel ones too) to learn which function each Task invokes.
 * `timeScale` shrinks retry intervals and Wait states (0.01: one second becomes 10 ms).
 */
export const loadWorkflow = (workflow: WorkflowDefinition, timeScale: number): LocalWorkflow => {
  const text = readFileSync(resolve(REPO_ROOT, workflow.file), 'utf8');
  const definition = JSON.parse(substitute(text, substitutionsFor(localFunctionArn)));
  const tasks = new Map<string, string>();
  const retryIntervals: Record<string, number[]> = {};
  const waits: Record<string, number> = {};
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      const arn = state.Parameters?.FunctionName ?? state.Resource;
      if (state.Type === 'Task' && arn?.includes(':function:')) {
        tasks.set(name, arn.split(':function:')[1]?.split(':')[0] ?? '');
      }
      if (state.Retry) {
        retryIntervals[name] = state.Retry.map((r) =>
          Math.round((r.IntervalSeconds ?? 1) * 1000 * timeScale),
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
    name: workflow.name,
    arn: localStateMachineArn(workflow.name),
    definition,
    tasks,
    retryIntervals,
    waits,
  };
};

/** Every workflow of the catalogue, loaded. */
export const loadWorkflows = (timeScale: number): LocalWorkflow[] =>
  Object.values(workflows).map((workflow) => loadWorkflow(workflow, timeScale));
