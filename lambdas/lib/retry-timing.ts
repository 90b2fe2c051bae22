import { ENV, optionalEnv } from './config.ts';

/**
 * How claims, task timeouts and retry schedules relate — in one place, checked by
 * `test/faults/retry-timing.test.ts` against the ASL files and the CDK function settings.
 *
 * A step that claims an effect (the once-ledger: welcome and receipt e-mails) may be killed mid-
 * effect by its Lambda timeout. Its retry then finds the claim "in progress" and must wait until
 * the claim's lease has passed before it may redo the effect. So:
 *
 *   step Lambda timeout  <  claim lease  <  the step's retry window (minimum, without jitter)
 *
 * - lease > Lambda timeout: when the lease ends the attempt that holds the claim is surely dead,
 *   so two live attempts never both send;
 * - retry window > lease + a mail outage: a step never gives up because of its own earlier,
 *   killed attempt, and rides out an outage of several minutes.
 *
 * RunTask claims each task instance the same way (a lease on the instance record), so its retry
 * window too outlasts the lease.
 */
export const STEP_FUNCTION_TIMEOUT_SECONDS = 25;

/** A claim older than this belongs to an attempt that is no longer running. */
export const CLAIM_LEASE_SECONDS = 60;

/** The mail-service outage a mail step must outlast before it records the mail as failed. */
export const MAIL_OUTAGE_SECONDS = 300;

/**
 * The factor every duration is multiplied by: 1 in AWS; the twin sets a smaller one (0.01) and
 * scales its retry waits by the same factor, so every relation above holds there too.
 */
export const timeScale = (): number => {
  const value = Number(optionalEnv(ENV.timeScale) ?? '1');
  return Number.isFinite(value) && value > 0 ? value : 1;
};

/** The claim lease in milliseconds, scaled. */
export const claimLeaseMs = (): number => CLAIM_LEASE_SECONDS * 1000 * timeScale();
