import { functionArnKey } from '#lib/workflows.ts';
import { steps } from '../lambdas/steps/registry.ts';

/**
 * The one substitution-key map for ASL files: `${<Step>FunctionArn}` → that step's function ARN.
 * CDK passes it as `definitionSubstitutions`; the twin applies it itself (aws-local-stepfunctions
 * has no substitution support) with local ARNs.
 */
export const substitutionsFor = (arnOf: (stepName: string) => string): Record<string, string> =>
  Object.fromEntries(steps.map((step) => [functionArnKey(step.name), arnOf(step.name)]));

/** Every `${…}` placeholder used in an ASL document, in order of first use. */
export const placeholdersIn = (asl: string): string[] => [
  ...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string)),
];

/** Replaces every `${key}` in an ASL document; throws if one has no value. */
export const substitute = (asl: string, values: Record<string, string>): string =>
  asl.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`ASL placeholder \${${key}} has no substitution`);
    return value;
  });
