import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Runs a conditional write. On a failed condition returns `{ ok: false, old }` with the item as it
 * was (ReturnValuesOnConditionCheckFailure: ALL_OLD, so no second read), or `old: undefined` when
 * there was no item. Other errors propagate.
 */
export const conditionally = async <T>(
  write: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; old: Record<string, unknown> | undefined }> => {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The document client does not unmarshall the item carried by the exception.
    const item = error.Item as Parameters<typeof unmarshall>[0] | undefined;
    return { ok: false, old: item ? unmarshall(item) : undefined };
  }
};
