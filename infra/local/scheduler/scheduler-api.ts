import {
  canonicalInstant,
  InvalidSchedule,
  parseSchedule,
} from '../../../lambdas/lib/domain/schedule.ts';
import { AwsError } from '../aws/aws-error.ts';
import { AWS_LIMITS } from '../aws/aws-limits.ts';

/** Time as the scheduler sees it; tests pass a fake one instead of waiting for real slots. */
export interface SchedulerClock {
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a function that cancels the call. */
  setTimer(ms: number, fn: () => void): () => void;
}

/** Date.now and Node timers, unref'd so that a pending slot never keeps the process alive. */
export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms).unref();
    return () => clearTimeout(timer);
  },
};

const NAME = /^[0-9a-zA-Z._-]{1,64}$/;
const LAMBDA_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(:[\w$-]+)?$/;
export const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's ceiling; longer waits re-arm in steps
export const invalid = (message: string) => new AwsError('ValidationException', message);
export const notFound = (what: string) =>
  new AwsError('ResourceNotFoundException', `${what} does not exist.`, 404);

/** AWS's checks, plus the twin's own limit (Lambda targets only); throws ValidationException. */
export const validateScheduleRequest = (
  name: string,
  body: Record<string, unknown>,
  createdAt: number,
  now: number,
) => {
  const target = (body.Target ?? {}) as Record<string, unknown>;
  const functionName = LAMBDA_ARN.exec(String(target.Arn))?.[1];
  const start = typeof body.StartDate === 'number' ? body.StartDate * 1000 : undefined;
  if (!NAME.test(name)) throw invalid(`Invalid schedule name ${name}`);
  if (!functionName || typeof target.RoleArn !== 'string')
    throw invalid('Target needs a RoleArn and, in the twin, a Lambda function Arn');
  if (!['OFF', 'FLEXIBLE'].includes(String((body.FlexibleTimeWindow as { Mode?: string })?.Mode)))
    throw invalid('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
  if (!['ENABLED', 'DISABLED', undefined].includes(body.State as string | undefined))
    throw invalid('State must be ENABLED or DISABLED');
  const { MaximumRetryAttempts: tries = 0, MaximumEventAgeInSeconds: age = 60 } =
    (target.RetryPolicy ?? {}) as Record<string, number>;
  if (!(tries >= 0 && tries <= 185 && age >= 60 && age <= 86_400))
    throw invalid('RetryPolicy: MaximumRetryAttempts 0–185, MaximumEventAgeInSeconds 60–86400');
  const input = Buffer.byteLength(String(target.Input ?? ''), 'utf8');
  if (input > AWS_LIMITS.schedulerInputBytes)
    throw invalid(`Target Input is ${input} bytes; the limit is ${AWS_LIMITS.schedulerInputBytes}`);
  if (start !== undefined && start < now - 5 * 60_000)
    throw invalid('The StartDate you specify cannot be earlier than 5 minutes ago.');
  try {
    JSON.parse(String(target.Input ?? '{}').replace(/<aws\.scheduler\.[a-z-]+>/g, '0'));
    const timezone = String(body.ScheduleExpressionTimezone ?? 'UTC');
    const anchor = canonicalInstant(start ?? createdAt); // AWS: StartDate, else creation
    const schedule = parseSchedule(String(body.ScheduleExpression), timezone, anchor);
    return { request: body, schedule, functionName };
  } catch (error) {
    if (error instanceof InvalidSchedule) throw invalid(error.message);
    if (error instanceof SyntaxError) throw invalid('A Lambda target Input must be JSON');
    throw error;
  }
};
