import { parse } from '@aws-lambda-powertools/parser';
import type { Context } from 'aws-lambda';
import { DomainError } from './errors.ts';
import { instrumented, logger } from './observability.ts';
import type * as z from './zod.ts';

/** A step was invoked with input its schema rejects: a workflow bug, not worth retrying. */
export class InvalidStepInput extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidStepInput';
  }
}

/**
 * Builds a state machine task handler: validate the input with zod (Powertools Parser), run the
 * use case, return its result as the task output. Errors keep their `name`, which is what the
 * ASL's Retry/Catch `ErrorEquals` match.
 */
export const stepHandler = <S extends z.ZodMiniType, R>(
  schema: S,
  run: (input: z.output<S>, context: Context) => Promise<R>,
) =>
  instrumented(async (event: unknown, context: Context): Promise<R> => {
    const parsed = parse(event, undefined, schema, true);
    if (!parsed.success) {
      throw new InvalidStepInput('Step input failed validation', { cause: parsed.error });
    }
    const result = await run(parsed.data as z.output<S>, context);
    logger.debug('Step done', { result: result as Record<string, unknown> });
    return result;
  });
