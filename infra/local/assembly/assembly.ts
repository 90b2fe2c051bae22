import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AssetManifestArtifact, CloudAssembly } from 'aws-cdk-lib/cx-api';

/** A CloudFormation resource as the rehearsal reads it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface Template {
  readonly Resources: Record<string, TemplateResource>;
}

/** A synthesized stack: its template and where each published file asset lies on disk. */
export interface StackAssembly {
  readonly directory: string;
  readonly stackName: string;
  readonly template: Template;
  /** S3 object key of a file asset → its path in the assembly (a directory for zip assets). */
  readonly assetPaths: ReadonlyMap<string, string>;
}

/**
 * Reads the one stack of a cloud assembly (`cdk synth -o DIR`) with aws-cdk-lib's own reader,
 * and maps each asset's S3 object key to its files through the asset manifest, so a template's
 * `Code.S3Key` or `DefinitionS3Location.Key` leads to what `cdk deploy` would upload.
 */
export const readAssembly = (directory: string, template?: Template): StackAssembly => {
  const assembly = new CloudAssembly(directory);
  const [stack, ...others] = assembly.stacks;
  if (!stack || others.length > 0)
    throw new Error(`Expected one stack in ${directory}, found ${assembly.stacks.length}`);
  const assetPaths = new Map<string, string>();
  for (const artifact of assembly.artifacts) {
    if (!(artifact instanceof AssetManifestArtifact)) continue;
    const manifest = JSON.parse(readFileSync(artifact.file, 'utf8')) as {
      files?: Record<
        string,
        { source: { path?: string }; destinations: Record<string, { objectKey: string }> }
      >;
    };
    for (const file of Object.values(manifest.files ?? {})) {
      if (!file.source.path) continue;
      for (const destination of Object.values(file.destinations))
        assetPaths.set(destination.objectKey, join(dirname(artifact.file), file.source.path));
    }
  }
  return {
    directory,
    stackName: stack.stackName,
    template: template ?? (stack.template as Template),
    assetPaths,
  };
};

/** Resources of one type, with their logical ids. */
export const resourcesOfType = (
  template: Template,
  type: string,
): [logicalId: string, resource: TemplateResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** The construct id a resource was built under (`Retrysafe/Api/PostProjects/Resource` → `PostProjects`). */
export const constructIdOf = (resource: TemplateResource): string | undefined => {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return undefined;
  const parts = path.split('/');
  const last = parts.at(-1);
  return last === 'Resource' || last === 'Default' ? parts.at(-2) : last;
};

/** Where a published file asset lies, from its S3 key; throws when the assembly lacks it. */
export const assetPath = (assembly: StackAssembly, objectKey: unknown): string => {
  const path = typeof objectKey === 'string' ? assembly.assetPaths.get(objectKey) : undefined;
  if (!path)
    throw new Error(`No asset with object key ${String(objectKey)} in ${assembly.directory}`);
  return path;
};
