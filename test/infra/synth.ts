import { readFileSync } from 'node:fs';
import { App, type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct, IConstruct } from 'constructs';
import type { AccessTargets } from '#infra/constructs/access.ts';
import { eventBusesIn } from '#infra/constructs/event-functions.ts';
import { fromRepoRoot } from '#infra/constructs/paths.ts';
import { secretsKey, stripeSecret } from '#infra/constructs/secrets.ts';
import { DataTables } from '#infra/constructs/tables.ts';
import { RetrysafeStack, type RetrysafeStackProps } from '#infra/stack.ts';
import { stackNameFor, stageOf } from '#infra/stage.ts';

/** Context from cdk.json, so tests synthesize with the same feature flags as `cdk synth`. */
const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')).context;

/**
 * An app with cdk.json's context plus `context` (as `-c key=value` would add it), minus asset
 * bundling (`aws:cdk:bundling-stacks: []`).
 */
export const testApp = (context: Record<string, unknown> = {}): App =>
  new App({ context: { ...cdkContext(), ...context, 'aws:cdk:bundling-stacks': [] } });

/**
 * Builds the app the way `infra/app.ts` does, minus asset bundling (keeps each synth to seconds;
 * `npm run synth` exercises the real esbuild bundling). With `nag`, cdk-nag is registered exactly
 * as app.ts registers it; `props` and `context` are for tests of a non-default setting.
 */
export const buildApp = ({
  nag = false,
  props = {},
  context = {},
}: {
  nag?: boolean;
  props?: RetrysafeStackProps;
  context?: Record<string, unknown>;
} = {}): { app: App; stack: RetrysafeStack } => {
  const app = testApp(context);
  const stack = new RetrysafeStack(app, stackNameFor(stageOf(app.node)), props);
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};

/** The synthesized template plus the stack, to look resources up by construct. */
export const synthesize = (
  props: RetrysafeStackProps = {},
  context: Record<string, unknown> = {},
): { stack: RetrysafeStack; template: Template } => {
  const { stack } = buildApp({ props, context });
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

/**
 * Everything an Access may name, built fresh in `scope` the way the stack builds it (no state
 * machines, no schedules): for a test that builds one construct on its own to see it fail.
 */
export const accessTargetsIn = (scope: Construct): AccessTargets => {
  const data = new DataTables(scope, 'Data');
  return {
    platformTable: data.platform,
    idempotencyTable: data.idempotency,
    tableKey: data.key,
    stateMachines: new Map(),
    mailFrom: 'no-reply@example.com',
    adminToken: new Secret(scope, 'AdminToken'),
    secretsKey: secretsKey(scope, 'SecretsKey'),
    stripeSecret: stripeSecret(scope, 'StripeSecretKey'),
    eventBuses: eventBusesIn(scope),
  };
};
