import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { actorOf } from '#lib/domain/audit.ts';
import { createApiKey, type KeyDeps } from '#lib/domain/key-management.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { apiKeysFromEnv } from '#lib/wiring/api-keys.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { postKeys } from './contracts.ts';

/** `create_key:{projectId}:{requestId}` is kept five minutes only, because it holds the secret. */
export const CREATE_KEY_TTL_SECONDS = 300;

/**
 * `POST /v1/projects/{projectId}/keys` → 201 with the secret, shown here and on replays within
 * five minutes only. The key id is derived from (project, Idempotency-Key).
 */
export const makeHandler = (deps: KeyDeps & { idempotency: IdempotencyRunner }) =>
  httpRoute(
    {
      ...postKeys,
      idempotency: {
        ttlSeconds: CREATE_KEY_TTL_SECONDS,
        operation: ({ params, idempotencyKey }) => ({
          key: `create_key:${params.projectId}:${idempotencyKey}`,
          projectId: params.projectId,
        }),
      },
      handle: async ({ params, body, idempotencyKey, caller }) => {
        const { key, secret } = await createApiKey(deps, {
          projectId: params.projectId,
          requestId: idempotencyKey,
          name: body.name,
          actor: actorOf(caller),
        });
        return json(
          201,
          {
            id: key.id,
            projectId: key.projectId,
            name: key.name,
            secret,
            createdAt: key.createdAt,
          },
          { Location: `/v1/projects/${key.projectId}/keys/${key.id}` },
        );
      },
    },
    deps.idempotency,
  );

export const handler = makeHandler({
  keys: apiKeysFromEnv(),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
