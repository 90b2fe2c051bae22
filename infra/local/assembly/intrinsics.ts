/**
 * Resolves the CloudFormation intrinsic functions a CDK template uses (Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub, Fn::Select, Fn::Split, Fn::ImportValue, Fn::If is refused) against the twin's
 * resources. aws-cdk-lib resolves tokens only while synthesizing, not in a finished template, so
 * the rehearsal evaluates the few functions itself. Whatever it cannot resolve throws, naming the
 * reference: a template that points at something the twin does not have is a finding.
 */

/** What a logical id (or pseudo parameter) stands for in the twin. */
export interface ResolvedResource {
  readonly ref: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export type ResourceLookup = (logicalId: string) => ResolvedResource | undefined;

/** Values of cross-stack exports (`Fn::ImportValue`), by export name. */
export type Exports = Readonly<Record<string, string>>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Resolves `value` to plain JSON, every intrinsic replaced by its twin value. */
export const resolveIntrinsics = (
  value: unknown,
  lookup: ResourceLookup,
  exports: Exports = {},
): unknown => {
  const resolve = (v: unknown): unknown => resolveIntrinsics(v, lookup, exports);
  const text = (v: unknown): string => {
    const resolved = resolve(v);
    if (typeof resolved !== 'string' && typeof resolved !== 'number')
      throw new Error(`Expected a string, got ${JSON.stringify(resolved)}`);
    return String(resolved);
  };
  const ref = (id: string): ResolvedResource => {
    const found = lookup(id);
    if (!found) throw new Error(`The twin has no resource for Ref ${id}`);
    return found;
  };
  const attribute = (id: string, name: string): string => {
    const found = ref(id).attributes?.[name];
    if (found === undefined) throw new Error(`The twin has no value for Fn::GetAtt ${id}.${name}`);
    return found;
  };

  if (Array.isArray(value)) return value.map(resolve);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    switch (key) {
      case 'Ref':
        return ref(String(arg)).ref;
      case 'Fn::GetAtt': {
        const [id, name] = Array.isArray(arg) ? arg : String(arg).split('.');
        return attribute(String(id), String(name));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolve(parts) as unknown[]).map((p) => text(p)).join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = arg as [unknown, unknown];
        const resolved = resolve(items) as unknown[];
        return resolved[Number(resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return text(source).split(separator);
      }
      case 'Fn::Sub': {
        const [template, vars] = Array.isArray(arg)
          ? (arg as [string, Record<string, unknown>])
          : [String(arg), {}];
        return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in vars) return text(vars[name]);
          const [id, attr] = name.split('.');
          return attr ? attribute(id as string, attr) : ref(name).ref;
        });
      }
      case 'Fn::ImportValue': {
        const name = text(arg);
        const exported = exports[name];
        if (exported === undefined) throw new Error(`The twin has no export named ${name}`);
        return exported;
      }
      case 'Fn::If':
      case 'Fn::FindInMap':
      case 'Fn::GetAZs':
      case 'Fn::Base64':
      case 'Fn::Cidr':
        throw new Error(`The rehearsal does not resolve ${key}`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
};
