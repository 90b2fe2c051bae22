import type { ApiKeyStore } from '#lib/ports/api-keys.ts';
import { stepHandler } from '#lib/step.ts';
import { apiKeysFromEnv } from '#lib/wiring/api-keys.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { projectInput } from './schemas.ts';

/** RevokeAllKeys: revokes every key of the project that is not revoked yet. */
export const makeHandler = (deps: { keys: ApiKeyStore; now: () => Date }) =>
  stepHandler(projectInput, async ({ projectId }) => {
    const keys = await deps.keys.list(projectId);
    for (const key of keys) {
      if (key.revokedAt === null) {
        await deps.keys.revoke(projectId, key.id, deps.now().toISOString(), 'workflow');
      }
    }
    return { projectId, keysRevoked: keys.length };
  });

export const handler = makeHandler({ keys: apiKeysFromEnv(), now: systemClock });
