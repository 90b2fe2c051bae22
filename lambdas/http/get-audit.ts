import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { AuditLog } from '#lib/ports/audit.ts';
import { auditFromEnv } from '#lib/wiring/audit.ts';
import { pageQuery, projectPath } from './schemas.ts';

/** `GET /v1/projects/{projectId}/audit?limit=&cursor=` → entries newest first, paged. */
export const makeHandler = (deps: { audit: AuditLog }) =>
  httpRoute({
    name: 'GetAudit',
    params: projectPath,
    query: pageQuery,
    handle: async ({ params, query }) => json(200, await deps.audit.list(params.projectId, query)),
  });

export const handler = makeHandler({ audit: auditFromEnv() });
