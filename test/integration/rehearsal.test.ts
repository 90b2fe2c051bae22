import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Template } from '../../infra/local/assembly/assembly.ts';
import type { PolicyStatement } from '../../infra/local/assembly/iam.ts';
import { rehearse } from '../../scripts/rehearse/run.ts';
import { cachedAssembly } from '../support/assembly.ts';

/**
 * The rehearsal's IAM check bites: with one grant the tour needs removed from a synthesized
 * template, the part of the tour that makes that call fails, and the refusal names the function
 * (or state machine) and the action. Only the provisioning step runs, with sandboxes started on
 * first use, so each case takes seconds once the assembly exists (synthesized once and cached).
 */
let assembly: string;
let template: Template;

beforeAll(() => {
  assembly = cachedAssembly();
  template = JSON.parse(
    readFileSync(join(assembly, 'Retrysafe.template.json'), 'utf8'),
  ) as Template;
}, 900_000);

/** A copy of the template with `action` (and only it) taken out of the role policy `policyPrefix`. */
const without = (policyPrefix: string, action: string, resourceMatch?: string): Template => {
  const copy = structuredClone(template) as Template;
  const [, policy] =
    Object.entries(copy.Resources).find(
      ([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(policyPrefix),
    ) ?? [];
  const statements = (
    policy?.Properties?.PolicyDocument as { Statement: PolicyStatement[] } | undefined
  )?.Statement;
  if (!statements) throw new Error(`No policy ${policyPrefix}`);
  let removed = 0;
  for (const statement of statements as { Action?: string | string[]; Resource?: unknown }[]) {
    const actions = [statement.Action ?? []].flat();
    if (!actions.includes(action)) continue;
    if (resourceMatch) {
      const resources = [statement.Resource].flat();
      const kept = resources.filter((r) => !JSON.stringify(r).includes(resourceMatch));
      removed += resources.length - kept.length;
      statement.Resource = kept;
    } else {
      statement.Action = actions.filter((a) => a !== action);
      removed += 1;
    }
  }
  if (removed === 0) throw new Error(`${policyPrefix} grants no ${action}`);
  return copy;
};

const provisioningOnly = async (sabotaged: Template) =>
  rehearse({
    assembly,
    template: sabotaged,
    lazy: true,
    print: () => undefined,
    only: (step) => step.name.startsWith('provision a project'),
    // A refused saga would otherwise be awaited for the tour's whole patience.
    twin: { dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: `r${Date.now().toString(36)}-` },
  });

describe('rehearsal IAM enforcement', () => {
  it('fails provisioning when PostProjects may not start the saga, naming the function and states:StartExecution', async () => {
    const run = await provisioningOnly(
      without('ApiPostProjectsRoleDefaultPolicy', 'states:StartExecution'),
    );
    const [provision, iam] = run.results;
    expect(provision?.ok).toBe(false);
    expect(iam?.ok).toBe(false);
    expect(iam?.error).toContain('PostProjects: states:StartExecution on arn:aws:states:');
    expect(run.access.denials[0]?.message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/ApiPostProjectsRole\w+\/PostProjects is not authorized to perform: states:StartExecution/,
    );
    // The function saw it as the SDK surfaces it: an AccessDeniedException from StartExecution.
    expect(readFileSync(run.logFile, 'utf8')).toContain('AccessDeniedException');
  }, 180_000);

  it('fails provisioning when the saga may not invoke a step, naming the state machine and lambda:InvokeFunction', async () => {
    const run = await provisioningOnly(
      without(
        'WorkflowsProvisionProjectRoleDefaultPolicy',
        'lambda:InvokeFunction',
        'WorkflowsCreateTenantRecord',
      ),
    );
    expect(run.results[0]?.ok).toBe(false);
    expect(run.access.denials.map((d) => `${d.principal} ${d.action} ${d.resource}`)).toContain(
      'provision-project lambda:InvokeFunction arn:aws:lambda:us-east-1:000000000000:function:CreateTenantRecord',
    );
  }, 180_000);
});
