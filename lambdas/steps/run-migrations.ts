import { latestSchemaVersion, migrations } from '#lib/domain/migrations.ts';
import { logger } from '#lib/observability.ts';
import type { TenantStore } from '#lib/ports/tenants.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { tenantsFromEnv } from '#lib/wiring/tenants.ts';
import { projectInput } from './schemas.ts';

/**
 * RunMigrations: applies, in order, each migration not yet recorded for the tenant. Each one is a
 * transaction conditioned on its record not existing, so a retry skips what is done.
 */
export const makeHandler = (deps: { tenants: TenantStore; now: () => Date }) =>
  stepHandler(projectInput, async ({ projectId }) => {
    const applied = new Set(await deps.tenants.appliedVersions(projectId));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      const fresh = await deps.tenants.applyMigration(
        projectId,
        migration,
        deps.now().toISOString(),
      );
      logger.info('Migration', { projectId, version: migration.version, applied: fresh });
    }
    return { projectId, schemaVersion: latestSchemaVersion() };
  });

export const handler = makeHandler({ tenants: tenantsFromEnv(), now: systemClock });
