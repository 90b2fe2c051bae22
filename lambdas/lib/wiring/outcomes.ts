import { metricsOutcomes } from '../adapters/metrics-outcomes.ts';
import type { OutcomeCounter } from '../ports/outcomes.ts';

/** Production wiring: outcomes counted as Powertools metrics. */
export const outcomesFromEnv = (): OutcomeCounter => metricsOutcomes;
