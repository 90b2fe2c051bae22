import { keyView } from '#lib/domain/api-keys.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { ApiKeyStore } from '#lib/ports/api-keys.ts';
import { apiKeysFromEnv } from '#lib/wiring/api-keys.ts';
import { getKeys } from './contracts.ts';

/** `GET /v1/projects/{projectId}/keys` → the project's keys, oldest first, never a secret. */
export const makeHandler = (deps: { keys: ApiKeyStore }) =>
  httpRoute({
    ...getKeys,
    handle: async ({ params }) =>
      json(200, { keys: (await deps.keys.list(params.projectId)).map(keyView) }),
  });

export const handler = makeHandler({ keys: apiKeysFromEnv() });
