import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { substitute } from '../../substitutions.ts';
import {
  assetPath,
  constructIdOf,
  resourcesOfType,
  type StackAssembly,
  type TemplateResource,
} from './assembly.ts';
import type { PolicyDocument } from './iam.ts';
import { type ResourceLookup, resolveIntrinsics } from './intrinsics.ts';
import { kebabCase } from './resources.ts';

/** An IAM role of the template with every identity policy attached to it, resolved. */
export interface RolePolicies {
  readonly roleId: string;
  readonly policies: readonly PolicyDocument[];
}

/** A Lambda function as `cdk deploy` would create it. */
export interface AssemblyFunction extends RolePolicies {
  readonly logicalId: string;
  /** The twin's name for it (its construct id: the route, step or event function name). */
  readonly name: string;
  /** The bundled module and the export Lambda calls (`Handler: index.handler`). */
  readonly module: string;
  readonly exportName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly runtime: string;
}

/** A state machine as `cdk deploy` would create it, its definition rendered. */
export interface AssemblyStateMachine extends RolePolicies {
  readonly logicalId: string;
  readonly name: string;
  readonly definition: string;
}

export interface StackModel {
  readonly functions: readonly AssemblyFunction[];
  readonly stateMachines: readonly AssemblyStateMachine[];
}

/** The logical id a `Fn::GetAtt [id, Arn]` or `Ref id` points at. */
const referencedId = (value: unknown): string | undefined => {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
  return v?.Ref ?? v?.['Fn::GetAtt']?.[0];
};

/** Every identity policy of a role: inline ones and AWS::IAM::Policy resources naming it. */
const policiesOf = (
  assembly: StackAssembly,
  roleId: string,
  lookup: ResourceLookup,
): PolicyDocument[] => {
  const role = assembly.template.Resources[roleId];
  if (!role) throw new Error(`Role ${roleId} is not in the template`);
  if ((role.Properties?.ManagedPolicyArns as unknown[] | undefined)?.length)
    throw new Error(`Role ${roleId} has managed policies, which the rehearsal cannot read`);
  const inline = (
    (role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []
  ).map((p) => p.PolicyDocument);
  const attached = resourcesOfType(assembly.template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      ((policy.Properties?.Roles as unknown[] | undefined) ?? []).some(
        (r) => referencedId(r) === roleId,
      ),
    )
    .map(([, policy]) => policy.Properties?.PolicyDocument);
  return [...inline, ...attached].map((doc) => resolveIntrinsics(doc, lookup) as PolicyDocument);
};

const roleIdOf = (resource: TemplateResource, property: string, logicalId: string): string => {
  const id = referencedId(resource.Properties?.[property]);
  if (!id) throw new Error(`${logicalId} has no ${property} the rehearsal can follow`);
  return id;
};

const functionOf = (
  assembly: StackAssembly,
  lookup: ResourceLookup,
  logicalId: string,
  resource: TemplateResource,
): AssemblyFunction => {
  const props = resource.Properties ?? {};
  const code = props.Code as { S3Key?: unknown; ZipFile?: unknown } | undefined;
  if (!code?.S3Key)
    throw new Error(`${logicalId} has no S3 code asset (inline code is not rehearsed)`);
  const directory = assetPath(assembly, code.S3Key);
  const [file, exportName] = String(props.Handler ?? '').split('.') as [string, string | undefined];
  const module = ['.mjs', '.js', '.cjs']
    .map((ext) => join(directory, `${file}${ext}`))
    .find(existsSync);
  if (!module || !exportName)
    throw new Error(`${logicalId}: handler ${String(props.Handler)} is not in ${directory}`);
  const variables =
    (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    try {
      environment[key] = String(resolveIntrinsics(value, lookup));
    } catch (error) {
      throw new Error(`${logicalId}: environment variable ${key}: ${(error as Error).message}`);
    }
  }
  const roleId = roleIdOf(resource, 'Role', logicalId);
  return {
    logicalId,
    name: constructIdOf(resource) ?? logicalId,
    module,
    exportName,
    environment,
    // CloudFormation's defaults when the properties are absent.
    timeoutSeconds: Number(props.Timeout ?? 3),
    memoryMb: Number(props.MemorySize ?? 128),
    runtime: String(props.Runtime),
    roleId,
    policies: policiesOf(assembly, roleId, lookup),
  };
};

/** The definition CloudFormation would create: DefinitionString / Definition / the S3 asset, substituted. */
const definitionOf = (
  assembly: StackAssembly,
  lookup: ResourceLookup,
  logicalId: string,
  resource: TemplateResource,
): string => {
  const props = resource.Properties ?? {};
  let text: string;
  if (props.DefinitionString !== undefined)
    text = String(resolveIntrinsics(props.DefinitionString, lookup));
  else if (props.Definition !== undefined)
    text = JSON.stringify(resolveIntrinsics(props.Definition, lookup));
  else {
    const location = props.DefinitionS3Location as { Key?: unknown } | undefined;
    text = readFileSync(assetPath(assembly, location?.Key), 'utf8');
  }
  const substitutions = resolveIntrinsics(props.DefinitionSubstitutions ?? {}, lookup) as Record<
    string,
    unknown
  >;
  try {
    return substitute(
      text,
      Object.fromEntries(Object.entries(substitutions).map(([k, v]) => [k, String(v)])),
    );
  } catch (error) {
    throw new Error(`${logicalId}: ${(error as Error).message}`);
  }
};

/** The functions and state machines of a synthesized stack, resolved against the twin. */
export const stackModel = (assembly: StackAssembly, lookup: ResourceLookup): StackModel => ({
  functions: resourcesOfType(assembly.template, 'AWS::Lambda::Function').map(([id, resource]) =>
    functionOf(assembly, lookup, id, resource),
  ),
  stateMachines: resourcesOfType(assembly.template, 'AWS::StepFunctions::StateMachine').map(
    ([logicalId, resource]) => {
      const roleId = roleIdOf(resource, 'RoleArn', logicalId);
      return {
        logicalId,
        name: kebabCase(constructIdOf(resource) ?? logicalId),
        definition: definitionOf(assembly, lookup, logicalId, resource),
        roleId,
        policies: policiesOf(assembly, roleId, lookup),
      };
    },
  ),
});
