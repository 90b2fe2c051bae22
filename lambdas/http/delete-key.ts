import { actorOf } from '#lib/domain/audit.ts';
import { type KeyDeps, revokeApiKey } from '#lib/domain/key-management.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { apiKeysFromEnv } from '#lib/wiring/api-keys.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { deleteKey } from './contracts.ts';

/**
 * `DELETE /v1/projects/{projectId}/keys/{keyId}` → 200 `{id, revokedAt}`. Idempotent by state
 * (`revoke:{keyId}` needs no replay record): every repeat, forever, answers from the key itself.
 */
export const makeHandler = (deps: KeyDeps) =>
  httpRoute({
    ...deleteKey,
    handle: async ({ params, caller }) =>
      json(200, await revokeApiKey(deps, { ...params, actor: actorOf(caller) })),
  });

export const handler = makeHandler({ keys: apiKeysFromEnv(), now: systemClock });
