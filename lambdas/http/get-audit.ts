import { type CursorKey, cursorKeyFromEnv, openCursor, sealCursor } from '#lib/http/cursors.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { AuditLog } from '#lib/ports/audit.ts';
import { auditFromEnv } from '#lib/wiring/audit.ts';
import { getAudit } from './contracts.ts';

/**
 * `GET /v1/projects/{projectId}/audit?limit=&cursor=` → entries newest first, paged. Cursors are
 * signed for this project's log, so an edited or borrowed one is a 400 before any read.
 */
export const makeHandler = (deps: { audit: AuditLog; cursorKey: CursorKey }) =>
  httpRoute({
    ...getAudit,
    handle: async ({ params, query }) => {
      const key = await deps.cursorKey();
      const scope = `audit:${params.projectId}`;
      const page = await deps.audit.list(params.projectId, {
        limit: query.limit,
        ...(query.cursor !== undefined ? { cursor: openCursor(key, scope, query.cursor) } : {}),
      });
      return json(200, {
        entries: page.entries,
        ...(page.nextCursor ? { nextCursor: sealCursor(key, scope, page.nextCursor) } : {}),
      });
    },
  });

export const handler = makeHandler({ audit: auditFromEnv(), cursorKey: cursorKeyFromEnv() });
