import type { Failure } from '../domain/project.ts';

/**
 * The conditional status move projects and orders share: `SET status = to` only while the item
 * exists and its status is one of `from`; on a failed condition the old item comes back
 * (ALL_OLD), so the caller can tell "already there" (a retry) from "not allowed".
 */
export const statusUpdate = (change: {
  tableName: string;
  key: { pk: string; sk: string };
  from: readonly string[];
  to: string;
  at: string;
  failure?: Failure;
}) => {
  const from = Object.fromEntries(change.from.map((status, i) => [`:from${i}`, status]));
  return {
    TableName: change.tableName,
    Key: change.key,
    UpdateExpression: `SET #status = :to, updatedAt = :at${change.failure ? ', failure = :failure' : ''}`,
    ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(from).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':to': change.to,
      ':at': change.at,
      ...from,
      ...(change.failure ? { ':failure': change.failure } : {}),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
};
