import { readFileSync } from 'node:fs';
import { App, type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { fromRepoRoot } from '#infra/constructs/paths.ts';
import { RetrysafeStack } from '#infra/stack.ts';

/** Context from cdk.json, so tests synthesize with the same feature flags as `cdk synth`. */
const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')).context;

/**
 * Builds the app the way `infra/app.ts` does, minus asset bundling (`aws:cdk:bundling-stacks: []`
 * keeps each synth to seconds; `npm run synth` exercises the real esbuild bundling). With `nag`,
 * cdk-nag is registered exactly as app.ts registers it.
 */
export const buildApp = ({ nag = false } = {}): { app: App; stack: RetrysafeStack } => {
  const app = new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new RetrysafeStack(app, 'Retrysafe');
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};

/** The synthesized template plus the stack, to look resources up by construct. */
export const synthesize = (): { stack: RetrysafeStack; template: Template } => {
  const { stack } = buildApp();
  return { stack, template: Template.fromStack(stack) };
};

/** Logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export const logicalIdOf = (stack: Stack, construct: IConstruct): string =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

/** `Properties` of the resource with this logical id. */
export const propertiesOf = (template: Template, logicalId: string): Record<string, unknown> => {
  const resource = template.toJSON().Resources[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId} in the template`);
  return resource.Properties ?? {};
};
