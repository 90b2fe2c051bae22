import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './synth.ts';

interface Report {
  pluginReports: {
    pluginName: string;
    violations: {
      ruleName: string;
      severity: string;
      description: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

let app: App;
let synthError: Error | undefined;

beforeAll(() => {
  ({ app } = buildApp({ nag: true }));
  try {
    // cdk-nag v3 is a policy-validation plugin: it runs inside synth, writes
    // validation-report.json into the assembly and, under test, throws with the report.
    app.synth();
  } catch (error) {
    synthError = error as Error;
  }
});

/** Every `Validations.of(x).acknowledge()` in the app, where it was made and why. */
const acknowledgements = (): Acknowledgement[] =>
  app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({
        path: construct.node.path,
        // aws-cdk-lib stores ids namespaced as `Annotation::<id>`; cdk-nag strips the prefix too.
        id: id.replace(/^annotation::/i, ''),
        reason,
      })),
  );

/**
 * Every AwsSolutions finding with acknowledgements ignored. cdk-nag filters acknowledged findings
 * in a private `isAcknowledged`; switching it off on this one instance shows what they hide.
 */
const rawFindings = () => {
  const pack = new AwsSolutionsChecks();
  Object.assign(pack, { isAcknowledged: () => false });
  return pack
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    );
};

describe('cdk-nag AwsSolutionsChecks', () => {
  it('synthesizes with no unacknowledged finding of any severity', () => {
    expect(synthError?.message, 'cdk-nag failed the synth').toBeUndefined();
    const report: Report = JSON.parse(
      readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'),
    );
    const violations = report.pluginReports.flatMap((plugin) =>
      plugin.violations
        .filter((v) => plugin.pluginName === 'AwsSolutions' || v.severity === 'error')
        .flatMap((v) =>
          v.violatingConstructs.map(
            (c) => `${v.severity} ${v.ruleName} at ${c.constructPath}: ${v.description}`,
          ),
        ),
    );
    expect(violations).toEqual([]);
  });

  it('gives every acknowledgement a written reason', () => {
    const all = acknowledgements();
    expect(all.length).toBeGreaterThan(0);
    const unexplained = all.filter(
      (a) => typeof a.reason !== 'string' || a.reason.trim().length < 20,
    );
    expect(unexplained).toEqual([]);
  });

  it('acknowledges only findings that exist, on the constructs that have them', () => {
    const findings = rawFindings();
    expect(findings.length).toBeGreaterThan(0);
    const stale = acknowledgements().filter(
      (a) => !findings.some((f) => f.id === a.id && `${f.path}/`.startsWith(`${a.path}/`)),
    );
    expect(stale).toEqual([]);
  });
});
