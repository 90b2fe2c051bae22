import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '../observability.ts';
import type { OutcomeCounter } from '../ports/outcomes.ts';

/**
 * Outcomes as Powertools metrics (CloudWatch EMF, the function's namespace and service
 * dimension). They are stored and published when the invocation ends (`instrumented`).
 */
export const metricsOutcomes: OutcomeCounter = {
  count: (outcome, count = 1) => metrics.addMetric(outcome, MetricUnit.Count, count),
};
