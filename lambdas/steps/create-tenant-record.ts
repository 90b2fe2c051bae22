import type { TenantStore } from '#lib/ports/tenants.ts';
import { stepHandler } from '#lib/step.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { tenantsFromEnv } from '#lib/wiring/tenants.ts';
import * as z from '#lib/zod.ts';
import { plan, projectId } from './schemas.ts';

/** CreateTenantRecord: registers the tenant unless it is registered (conditional put). */
export const makeHandler = (deps: { tenants: TenantStore; now: () => Date }) =>
  stepHandler(z.object({ projectId, plan }), async (input) => {
    const tenant = await deps.tenants.createTenant({
      projectId: input.projectId,
      plan: input.plan,
      createdAt: deps.now().toISOString(),
    });
    return { projectId: tenant.projectId, createdAt: tenant.createdAt };
  });

export const handler = makeHandler({ tenants: tenantsFromEnv(), now: systemClock });
