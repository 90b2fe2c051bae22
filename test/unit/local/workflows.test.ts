import { readdirSync, readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import '../../../infra/local/stepfunctions/polyfills.ts';
import { loadWorkflows } from '../../../infra/local/stepfunctions/definitions.ts';
import { placeholdersIn, substitute, substitutionsFor } from '../../../infra/substitutions.ts';
import { steps } from '../../../lambdas/steps/registry.ts';

describe('ASL files and the substitution map', () => {
  it('finds every placeholder once, in order', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ASL placeholders are written like this.
    expect(placeholdersIn('${A} ${B} ${A}')).toEqual(['A', 'B']);
  });

  it('refuses to substitute a placeholder that has no value', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ASL placeholders are written like this.
    expect(() => substitute('${Missing}', {})).toThrow(/Missing/);
  });

  it('has a value for every placeholder of every ASL file', () => {
    const values = substitutionsFor((name) => `arn:${name}`);
    for (const file of readdirSync('statemachines')) {
      for (const key of placeholdersIn(readFileSync(`statemachines/${file}`, 'utf8'))) {
        expect(values[key], `${file}: \${${key}}`).toBeDefined();
      }
    }
  });

  it("keeps every step's guarantee short enough to be its Lambda function's description", () => {
    // CDK puts `why` into the function's Description, which Lambda caps at 256 characters.
    for (const step of steps) expect(step.why.length, step.name).toBeLessThanOrEqual(256);
  });

  it('maps every Task state of every workflow to a registered step', () => {
    const registered = new Set(steps.map((s) => s.name));
    for (const workflow of loadWorkflows(0.01)) {
      expect(workflow.tasks.size, workflow.name).toBeGreaterThan(0);
      for (const [state, fn] of workflow.tasks)
        expect(registered.has(fn as never), `${workflow.name}.${state}`).toBe(true);
    }
  });

  it('has ASL that aws-local-stepfunctions validates (the twin builds machines lazily)', () => {
    for (const workflow of loadWorkflows(1)) {
      expect(() => new StateMachine(workflow.definition as never), workflow.name).not.toThrow();
    }
  });

  it('scales each retrier to the mean of its AWS pauses for the twin', () => {
    const [provision] = loadWorkflows(0.01);
    // No retries: the interval itself (1 s). States.ALL: pauses of 1, 2 and 4 s, mean 2.33 s.
    expect(provision?.retryIntervals.CreateTenantRecord).toEqual([10, Math.round((7 / 3) * 10)]);
  });
});
