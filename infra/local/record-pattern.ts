import type { RecordPattern } from '../../lambdas/events/consumers.ts';

/**
 * Matches a record against a Lambda event-filtering / EventBridge pattern, for the subset this
 * service uses: each key names a field; an array lists the values it may equal; an object
 * descends into a nested field. Fields absent from the pattern are ignored.
 */
export const matchesPattern = (record: unknown, pattern: RecordPattern): boolean =>
  Object.entries(pattern).every(([field, expected]) => {
    const value = (record as Record<string, unknown> | undefined)?.[field];
    if (Array.isArray(expected)) return expected.includes(value as string);
    return (
      typeof value === 'object' &&
      value !== null &&
      matchesPattern(value, expected as RecordPattern)
    );
  });
