import { logger } from '#lib/observability.ts';
import type { TenantStore } from '#lib/ports/tenants.ts';
import { stepHandler } from '#lib/step.ts';
import { tenantsFromEnv } from '#lib/wiring/tenants.ts';
import { projectInput } from './schemas.ts';

/** DropTenantStorage: "DROP SCHEMA IF EXISTS" — deletes whatever storage items exist. */
export const makeHandler = (deps: { tenants: TenantStore }) =>
  stepHandler(projectInput, async ({ projectId }) => {
    const deleted = await deps.tenants.dropStorage(projectId);
    logger.info('Tenant storage dropped', { projectId, deleted });
    return { projectId, storage: 'absent' as const };
  });

export const handler = makeHandler({ tenants: tenantsFromEnv() });
