import type { TenantStore } from '#lib/ports/tenants.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { tenantsFromEnv } from '#lib/wiring/tenants.ts';
import { projectInput } from './schemas.ts';

/** SoftDeleteTenant: sets `deletedAt` once; a repeat returns the first deletion time. */
export const makeHandler = (deps: { tenants: TenantStore; now: () => Date }) =>
  stepHandler(projectInput, async ({ projectId }) => {
    const tenant = await deps.tenants.softDelete(projectId, deps.now().toISOString());
    return { projectId, deletedAt: tenant?.deletedAt ?? null };
  });

export const handler = makeHandler({ tenants: tenantsFromEnv(), now: systemClock });
