import fc from 'fast-check';

/** Runs per property, from the environment (`npm run test:long` raises them). */
export const propertyRuns = (variable: string, fallback: number): number =>
  Number(process.env[variable] ?? fallback);

/**
 * Wall-clock budget per property in `npm test`, in seconds (`RETRYSAFE_PROPERTY_BUDGET_S`; 0 means
 * none, which `npm run test:long` sets). A run through the twin costs a few milliseconds on a
 * laptop and a hundred times that on a starved CI machine; the budget keeps `npm test` bounded
 * there while a normal machine still does every run.
 */
const budgetMs = (fallbackSeconds = 300): number =>
  Number(process.env.RETRYSAFE_PROPERTY_BUDGET_S ?? fallbackSeconds) * 1000;

/**
 * Checks an async property for `runs` runs or until the budget is spent, whichever comes first.
 * Fails on any counterexample (shrunk, with fast-check's report) and when fewer than `minRuns`
 * runs fit the budget, so a machine too slow to test anything fails instead of passing empty.
 * Returns how many runs were made, for the test to print.
 */
export const checkProperty = async <Ts>(
  property: fc.IAsyncProperty<Ts>,
  { runs, minRuns, budgetSeconds }: { runs: number; minRuns: number; budgetSeconds?: number },
): Promise<{ runs: number; interrupted: boolean }> => {
  const budget = budgetMs(budgetSeconds);
  const details = await fc.check(property, {
    numRuns: runs,
    // fast-check 4 leaves the failing assertion out of its report unless asked.
    includeErrorInReport: true,
    plugins: budget > 0 ? [fc.interruptAfterTimeLimit(budget)] : [],
  });
  if (details.failed) {
    throw new Error(await fc.asyncDefaultReportMessage(details), { cause: details.errorInstance });
  }
  if (details.numRuns < minRuns) {
    throw new Error(
      `only ${details.numRuns} of at least ${minRuns} runs fit the ${budget / 1000} s budget (RETRYSAFE_PROPERTY_BUDGET_S)`,
    );
  }
  return { runs: details.numRuns, interrupted: details.interrupted };
};

/** One random fault sequence of a batch: starts its saga, then checks it once everything is idle. */
export type StartSequence<T> = (sequence: T) => Promise<() => Promise<void>>;

/**
 * A saga property over `sequences` random fault sequences, `concurrency` of them side by side in
 * one twin: each fast-check run is a batch whose sagas start together, and each sequence's faults
 * are scoped to its own subject (`@<id>`, see infra/local/dev/faults.ts), so no saga meets another's
 * faults. Most of a saga's time under faults is spent waiting out retry intervals, which is why
 * running them side by side makes 200 sequences affordable. After every saga of the batch is
 * idle, each sequence's check runs; a failure names the failing sequences themselves, and
 * fast-check shrinks them. Returns how many sequences ran.
 */
export const checkSequences = async <T>(
  sequence: fc.Arbitrary<T>,
  start: StartSequence<T>,
  idle: () => Promise<void>,
  options: { sequences: number; minSequences: number; concurrency: number },
): Promise<{ sequences: number; interrupted: boolean }> => {
  // Four saga properties share `npm test`: 150 s each unless RETRYSAFE_PROPERTY_BUDGET_S says.
  const { sequences, minSequences, concurrency } = options;
  const batch = fc.array(sequence, { minLength: concurrency, maxLength: concurrency });
  const checked = await checkProperty(
    fc.asyncProperty(batch, async (batch) => {
      const started = await Promise.allSettled(batch.map((one) => start(one)));
      await idle();
      const checks = await Promise.allSettled(
        started.map((s) => (s.status === 'fulfilled' ? s.value() : Promise.reject(s.reason))),
      );
      const failures = checks.flatMap((result, i) =>
        result.status === 'rejected'
          ? [`${JSON.stringify(batch[i])}: ${String(result.reason).slice(0, 2000)}`]
          : [],
      );
      if (failures.length > 0) {
        throw new Error(
          `${failures.length} of ${batch.length} sequences failed:\n${failures.join('\n')}`,
        );
      }
    }),
    {
      runs: Math.ceil(sequences / concurrency),
      minRuns: Math.ceil(minSequences / concurrency),
      budgetSeconds: 150,
    },
  );
  return { sequences: checked.runs * concurrency, interrupted: checked.interrupted };
};
