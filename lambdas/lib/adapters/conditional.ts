import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

type Marshalled = Parameters<typeof unmarshall>[0];

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
    const item = error.Item as Marshalled | undefined;
    return { ok: false, old: item ? unmarshall(item) : undefined };
  }
};

/** Why each item of a cancelled transaction failed: its condition, and the item as it was. */
export interface Cancellation {
  readonly conditionFailed: boolean;
  readonly old: Record<string, unknown> | undefined;
}

/**
 * Runs a transaction. On cancellation returns the per-item reasons (in request order) instead of
 * throwing, so callers can tell "already done" from "not allowed"; a cancellation that is not
 * about conditions (a conflict with another transaction) is rethrown for the caller to retry.
 */
export const transactionally = async (
  write: () => Promise<unknown>,
): Promise<{ ok: true } | { ok: false; reasons: Cancellation[] }> => {
  try {
    await write();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = (error.CancellationReasons ?? []).map((reason) => ({
      conditionFailed: reason.Code === 'ConditionalCheckFailed',
      old: reason.Item ? unmarshall(reason.Item as Marshalled) : undefined,
    }));
    if (!reasons.some((r) => r.conditionFailed)) throw error;
    return { ok: false, reasons };
  }
};
