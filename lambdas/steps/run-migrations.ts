import {
  latestSchemaVersion,
  type Migration,
  migrationBatches,
  migrations,
} from '#lib/domain/migrations.ts';
import { logger } from '#lib/observability.ts';
import type { TenantStore } from '#lib/ports/tenants.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { tenantsFromEnv } from '#lib/wiring/tenants.ts';
import { projectInput } from './schemas.ts';

type Deps = { readonly tenants: TenantStore; readonly now: () => Date };

/**
 * RunMigrations: applies every migration not yet recorded for the tenant, in order. Each batch
 * (`migrationBatches`) is one transaction conditioned on none of its records existing, so a retry
 * skips what is done and never applies a version twice. The first try assumes a fresh tenant and
 * reads nothing; only a batch refused because a version is recorded (an earlier or concurrent
 * attempt got there first) makes it read what is applied and go on with the rest. Every refusal
 * means another attempt recorded a version, so this ends within one pass per migration.
 */
export const makeHandler = (deps: Deps) =>
  stepHandler(projectInput, async ({ projectId }) => {
    let pending: readonly Migration[] = migrations;
    for (let pass = 0; pass <= migrations.length; pass += 1) {
      if (await applyInBatches(deps, projectId, pending)) {
        return { projectId, schemaVersion: latestSchemaVersion() };
      }
      const applied = new Set(await deps.tenants.appliedVersions(projectId));
      pending = migrations.filter((migration) => !applied.has(migration.version));
    }
    throw new Error(`Migrations of ${projectId} kept being applied by another attempt`);
  });

/** Applies `pending` batch by batch; false as soon as one is refused as already (partly) applied. */
const applyInBatches = async (
  deps: Deps,
  projectId: string,
  pending: readonly Migration[],
): Promise<boolean> => {
  for (const batch of migrationBatches(pending)) {
    if (!(await deps.tenants.applyMigrations(projectId, batch, deps.now().toISOString()))) {
      return false;
    }
    logger.info('Migrations applied', { projectId, versions: batch.map((m) => m.version) });
  }
  return true;
};

export const handler = makeHandler({ tenants: tenantsFromEnv(), now: systemClock });
