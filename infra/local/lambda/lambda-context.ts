import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { FUNCTION_MEMORY_MB } from '../../../lambdas/lib/function-settings.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';

/**
 * A Lambda context for an in-process invocation. `getRemainingTimeInMillis` counts down from the
 * function timeout, which Powertools idempotency uses to expire an in-progress record.
 */
export const lambdaContext = (functionName: string, timeoutMs = 29_000): Context => {
  const deadline = Date.now() + timeoutMs;
  const fail = () => {
    throw new Error('Callback-style completion is not supported by the twin');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(FUNCTION_MEMORY_MB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
};
