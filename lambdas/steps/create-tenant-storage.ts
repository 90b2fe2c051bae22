import type { TenantStore } from '#lib/ports/tenants.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { tenantsFromEnv } from '#lib/wiring/tenants.ts';
import { projectInput } from './schemas.ts';

/** CreateTenantStorage: "CREATE SCHEMA IF NOT EXISTS" — a conditional put of the storage marker. */
export const makeHandler = (deps: { tenants: TenantStore; now: () => Date }) =>
  stepHandler(projectInput, async ({ projectId }) => {
    const storage = await deps.tenants.createStorage(projectId, deps.now().toISOString());
    return { projectId, storageCreatedAt: storage.createdAt };
  });

export const handler = makeHandler({ tenants: tenantsFromEnv(), now: systemClock });
