import type { EventPattern, PatternMatcher } from '../../../lambdas/lib/event-rules.ts';

/**
 * EventBridge pattern matching, the subset `lambdas/lib/event-rules.ts` uses:
 * - a field's list matches when any matcher does; all fields of a pattern must match;
 * - exact values (string, number, boolean, null), compared with their JSON type;
 * - `{ prefix: "…" }` on string values;
 * - `{ exists: true | false }` on leaf fields (an object is not a leaf, as in EventBridge);
 * - nested objects (`detail: { projectId: [...] }`), and event arrays (any element may match).
 * Not supported (refused when a rule uses one): `anything-but`, `suffix`, `numeric`, `cidr`,
 * `equals-ignore-case`, `wildcard`, `$or`, and matching inside arrays of objects.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const matchesOne = (matcher: PatternMatcher, value: unknown): boolean => {
  if (!isObject(matcher)) return value === matcher;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  return false; // `exists` is decided on the field, not on a value.
};

const fieldMatches = (matchers: readonly PatternMatcher[], present: boolean, value: unknown) =>
  matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher)
      return matcher.exists === (present && !isObject(value));
    if (!present) return false;
    return Array.isArray(value)
      ? value.some((element) => matchesOne(matcher, element))
      : matchesOne(matcher, value);
  });

/** True when the event (an envelope, `detail` parsed) matches the pattern. */
export const matchesPattern = (pattern: EventPattern, event: object): boolean =>
  Object.entries(pattern).every(([field, expected]) => {
    const present = Object.hasOwn(event, field);
    const value = (event as Record<string, unknown>)[field];
    if (Array.isArray(expected)) return fieldMatches(expected, present, value);
    return isObject(value) && matchesPattern(expected as EventPattern, value);
  });

const supportedMatcher = (matcher: unknown): boolean => {
  if (!isObject(matcher))
    return ['string', 'number', 'boolean'].includes(typeof matcher) || matcher === null;
  const keys = Object.keys(matcher);
  if (keys.length !== 1) return false;
  if (keys[0] === 'prefix') return typeof matcher.prefix === 'string';
  return keys[0] === 'exists' && typeof matcher.exists === 'boolean';
};

/** Throws when a pattern uses anything {@link matchesPattern} does not implement. */
export const assertSupportedPattern = (pattern: EventPattern, rule: string): void => {
  for (const [field, expected] of Object.entries(pattern)) {
    if (Array.isArray(expected)) {
      if (expected.length === 0 || !expected.every(supportedMatcher))
        throw new Error(`Rule ${rule}: field ${field} uses a matcher the twin does not support`);
    } else if (isObject(expected)) assertSupportedPattern(expected as EventPattern, rule);
    else throw new Error(`Rule ${rule}: field ${field} must be a list or an object`);
  }
};
