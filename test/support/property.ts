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
const budgetMs = (): number => Number(process.env.RETRYSAFE_PROPERTY_BUDGET_S ?? 300) * 1000;

/**
 * Checks an async property for `runs` runs or until the budget is spent, whichever comes first.
 * Fails on any counterexample (shrunk, with fast-check's report) and when fewer than `minRuns`
 * runs fit the budget, so a machine too slow to test anything fails instead of passing empty.
 * Returns how many runs were made, for the test to print.
 */
export const checkProperty = async <Ts>(
  property: fc.IAsyncProperty<Ts>,
  { runs, minRuns }: { runs: number; minRuns: number },
): Promise<{ runs: number; interrupted: boolean }> => {
  const budget = budgetMs();
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
