import { defineConfig } from 'vitest/config';

/**
 * Three projects, run together by `npm test`:
 * - unit: plain modules, no servers;
 * - infra: CDK synth, template assertions and cdk-nag (no bundling, no AWS);
 * - integration: the twin against one DynamoDB Local started for the whole run (global setup);
 *   each test file starts its own in-process twin with its own tables, so files can run in
 *   parallel and inject faults without disturbing each other.
 */
/**
 * Integration tests come in two tiers. `npm test` (and CI) runs the core: every saga a client
 * starts end to end through the HTTP API (provision, charge, deprovision), the generic retry test
 * over every step of the registry, the fault matrix (every Task state × every
 * step fault, docs/fault-matrix.md), 200 random fault sequences per saga (fast-check, forty
 * sagas side by side with faults scoped to each; charge, provisioning, deprovisioning and webhook
 * delivery; the heavier activity property is in test:all), the HTTP contract for bad input, the fuzz of hostile requests,
 * DynamoDB Local's hygiene (loopback only, never outlives the twin), every route's answers
 * against the OpenAPI document and README's curl tour run as written. `npm run test:all`
 * (RETRYSAFE_TESTS=all) runs every integration file: the fault suites, AWS limits, activities,
 * webhooks, keys and the twin's own services. Each file starts a twin on DynamoDB Local; on a
 * CPU-starved two-core CI machine the whole set takes hours, which no CI run affords.
 */
const CORE_INTEGRATION = [
  'test/integration/provisioning.test.ts',
  'test/integration/charging.test.ts',
  'test/integration/deprovisioning.test.ts',
  'test/integration/step-retry.test.ts',
  'test/integration/bad-input.test.ts',
  'test/integration/no-5xx.test.ts',
  'test/integration/hostile-input.test.ts',
  'test/integration/hostile-bytes.test.ts',
  'test/integration/dynamodb-local-hygiene.test.ts',
  'test/integration/openapi.test.ts',
  'test/faults/fault-matrix.test.ts',
  'test/integration/readme-session.test.ts',
  'test/faults/charge-property.test.ts',
  'test/faults/provisioning-property.test.ts',
  'test/faults/deprovisioning-property.test.ts',
  'test/faults/delivery-property.test.ts',
];
const ALL_INTEGRATION = ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Ceilings, not budgets: CI machines can be a hundred times slower than a laptop.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: process.env.RETRYSAFE_TESTS === 'all' ? ALL_INTEGRATION : CORE_INTEGRATION,
          globalSetup: ['test/support/global-setup.ts'],
          pool: 'forks',
          // The twin sets Powertools' variables before it imports a handler; test files that
          // import handler modules themselves need them set before that import too.
          env: {
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_SERVICE_NAME: 'retrysafe',
            POWERTOOLS_METRICS_NAMESPACE: 'retrysafe',
            POWERTOOLS_METRICS_DISABLED: 'true',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
          // Ceilings, not budgets: a slow machine (CI's can be many times slower than a laptop)
          // must not fail a test that is merely slow. Starting a twin imports every handler.
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
