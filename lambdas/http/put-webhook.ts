import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { urlPolicyFromEnv } from '#lib/adapters/http-webhooks.ts';
import { secretsFromEnv } from '#lib/adapters/kms-secrets.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { configureWebhook, type WebhookConfigDeps } from '#lib/domain/webhook-config.ts';
import { endpointView } from '#lib/domain/webhook-endpoint.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { endpointsFromEnv } from '#lib/wiring/webhook-endpoints.ts';
import { putWebhook } from './contracts.ts';

/** A replay may carry the signing secret, so it is kept as briefly as a create-key replay. */
export const PUT_WEBHOOK_TTL_SECONDS = 300;

/**
 * `PUT /v1/projects/{projectId}/webhook` → 200 with the endpoint; the `whsec_…` secret appears on
 * the first PUT and on `rotateSecret: true` only. The URL must pass the SSRF guard.
 */
export const makeHandler = (deps: WebhookConfigDeps & { idempotency: IdempotencyRunner }) =>
  httpRoute(
    {
      ...putWebhook,
      idempotency: {
        ttlSeconds: PUT_WEBHOOK_TTL_SECONDS,
        operation: ({ params, idempotencyKey }) => ({
          key: `webhook_endpoint:${params.projectId}:${idempotencyKey}`,
          projectId: params.projectId,
        }),
      },
      handle: async ({ params, body }) => {
        const { endpoint, secret } = await configureWebhook(deps, {
          projectId: params.projectId,
          ...body,
        });
        return json(200, endpointView(endpoint, secret));
      },
    },
    deps.idempotency,
  );

export const handler = makeHandler({
  endpoints: endpointsFromEnv(),
  secrets: secretsFromEnv(),
  urlPolicy: urlPolicyFromEnv(),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
