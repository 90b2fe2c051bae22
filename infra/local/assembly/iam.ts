/**
 * A small IAM policy evaluator for identity policies, as the rehearsal needs it: explicit Deny
 * wins, then any Allow, else an implicit deny. It matches actions (case-insensitive, `*` and `?`
 * wildcards, NotAction), resources (case-sensitive wildcards, NotResource) and the condition
 * operators the stack uses, with `ForAnyValue:` / `ForAllValues:` set operators and `…IfExists`.
 * No library evaluates IAM offline in Node (the AWS policy simulator is an API call), so this is
 * the thinnest evaluator that reads the statements CDK writes. An operator it does not know never
 * lets an Allow match (and always lets a Deny match), so it can only be stricter than AWS.
 */

export type PolicyValue = string | readonly string[];

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: PolicyValue;
  readonly NotAction?: PolicyValue;
  readonly Resource?: PolicyValue;
  readonly NotResource?: PolicyValue;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, PolicyValue | boolean>>>>;
}

export interface PolicyDocument {
  readonly Statement: readonly PolicyStatement[] | PolicyStatement;
}

/** One authorization question: may the principal perform `action` on `resource`? */
export interface AuthorizationRequest {
  /** `service:Operation`, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** The resource's ARN; `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** Condition keys of the request (lower or mixed case; compared case-insensitively). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'allowed' | 'implicit-deny' | 'explicit-deny';

const list = (value: PolicyValue | boolean | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [String(value)];

/** IAM's wildcard match: `*` any run of characters, `?` exactly one. */
export const wildcardMatch = (pattern: string, value: string, ignoreCase = false): boolean => {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(
    `^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
    ignoreCase ? 'is' : 's',
  );
  return regex.test(value);
};

const matchesAny = (patterns: string[], value: string, ignoreCase: boolean) =>
  patterns.some((pattern) => wildcardMatch(pattern, value, ignoreCase));

const actionMatches = (statement: PolicyStatement, action: string): boolean =>
  statement.NotAction !== undefined
    ? !matchesAny(list(statement.NotAction), action, true)
    : matchesAny(list(statement.Action), action, true);

const resourceMatches = (statement: PolicyStatement, resource: string): boolean =>
  statement.NotResource !== undefined
    ? !matchesAny(list(statement.NotResource), resource, false)
    : matchesAny(list(statement.Resource), resource, false);

type Comparison = (expected: string, actual: string) => boolean;

const COMPARISONS: Record<string, Comparison> = {
  StringEquals: (e, a) => e === a,
  StringNotEquals: (e, a) => e !== a,
  StringEqualsIgnoreCase: (e, a) => e.toLowerCase() === a.toLowerCase(),
  StringNotEqualsIgnoreCase: (e, a) => e.toLowerCase() !== a.toLowerCase(),
  StringLike: (e, a) => wildcardMatch(e, a),
  StringNotLike: (e, a) => !wildcardMatch(e, a),
  ArnEquals: (e, a) => e === a,
  ArnLike: (e, a) => wildcardMatch(e, a),
  ArnNotEquals: (e, a) => e !== a,
  ArnNotLike: (e, a) => !wildcardMatch(e, a),
  Bool: (e, a) => e.toLowerCase() === a.toLowerCase(),
};

/** Negated operators hold for a value when it matches none of the expected ones. */
const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
]);

const contextValue = (
  context: AuthorizationRequest['context'],
  key: string,
): string[] | undefined => {
  if (!context) return undefined;
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!found) return undefined;
  return list(found[1]);
};

/** One `Operator: { key: values }` block; every key must hold. Unknown operators answer undefined. */
const conditionHolds = (
  operatorName: string,
  block: Readonly<Record<string, PolicyValue | boolean>>,
  context: AuthorizationRequest['context'],
): boolean | undefined => {
  let operator = operatorName;
  let setOperator: 'ForAnyValue' | 'ForAllValues' | undefined;
  const [prefix, rest] = operator.split(':');
  if ((prefix === 'ForAnyValue' || prefix === 'ForAllValues') && rest) {
    setOperator = prefix;
    operator = rest;
  }
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  for (const [key, raw] of Object.entries(block)) {
    const expected = list(raw);
    const actual = contextValue(context, key);
    if (operator === 'Null') {
      // Null: "true" means the key must be absent, "false" that it must be present.
      const absent = actual === undefined || actual.length === 0;
      if (!expected.some((e) => (e.toLowerCase() === 'true') === absent)) return false;
      continue;
    }
    const compare = COMPARISONS[operator];
    if (!compare) return undefined;
    if (actual === undefined || actual.length === 0) {
      if (ifExists) continue;
      // ForAllValues over an empty set holds; everything else needs the key.
      if (setOperator === 'ForAllValues') continue;
      return false;
    }
    const one = (value: string) =>
      NEGATED.has(operator)
        ? expected.every((e) => compare(e, value))
        : expected.some((e) => compare(e, value));
    const holds =
      setOperator === 'ForAllValues'
        ? actual.every(one)
        : setOperator === 'ForAnyValue'
          ? actual.some(one)
          : actual.length === 1 && one(actual[0] as string);
    if (!holds) return false;
  }
  return true;
};

const conditionsHold = (
  statement: PolicyStatement,
  context: AuthorizationRequest['context'],
): boolean | undefined => {
  let unknown = false;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const holds = conditionHolds(operator, block, context);
    if (holds === false) return false;
    if (holds === undefined) unknown = true;
  }
  return unknown ? undefined : true;
};

const statementsOf = (documents: readonly PolicyDocument[]): PolicyStatement[] =>
  documents.flatMap((document) =>
    Array.isArray(document.Statement)
      ? (document.Statement as PolicyStatement[])
      : [document.Statement as PolicyStatement],
  );

/** Evaluates identity policies for one request (no resource policies, boundaries or SCPs). */
export const authorize = (
  documents: readonly PolicyDocument[],
  request: AuthorizationRequest,
): Decision => {
  let allowed = false;
  for (const statement of statementsOf(documents)) {
    if (!actionMatches(statement, request.action)) continue;
    if (!resourceMatches(statement, request.resource)) continue;
    const holds = conditionsHold(statement, request.context);
    if (statement.Effect === 'Deny' && holds !== false) return 'explicit-deny';
    if (statement.Effect === 'Allow' && holds === true) allowed = true;
  }
  return allowed ? 'allowed' : 'implicit-deny';
};
