import { STEP_FUNCTION_TIMEOUT_SECONDS } from './retry-timing.ts';

/** What invokes a function: its timeout follows from that. */
export type FunctionKind = 'api' | 'stream' | 'step' | 'event';

/**
 * Lambda timeout per kind, in seconds — the one source: CDK configures each function with it and
 * the twin cuts an invocation off after it (real seconds, never scaled: a handler's own work is
 * not sped up in the twin, only the waits between retries are).
 * - api: well under API Gateway's 29 s integration timeout;
 * - stream: about one write per record, 100 records per batch;
 * - step: below every Task's TimeoutSeconds and the claim lease (retry-timing.ts);
 * - event: a catch-up fire starts up to 100 runs, one StartExecution after another.
 */
export const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<FunctionKind, number>> = {
  api: 10,
  stream: 10,
  step: STEP_FUNCTION_TIMEOUT_SECONDS,
  event: 30,
};

/** Memory of every function, in MB. */
export const FUNCTION_MEMORY_MB = 512;
