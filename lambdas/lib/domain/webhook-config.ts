import type { SecretBox } from '../ports/secrets.ts';
import type { WebhookEndpointStore } from '../ports/webhook-endpoints.ts';
import type { WebhookEndpoint } from './webhook-endpoint.ts';
import { generateWebhookSecret } from './webhook-signing.ts';
import { assertWebhookUrl, type WebhookUrlPolicy } from './webhook-url.ts';

export interface WebhookConfigDeps {
  readonly endpoints: WebhookEndpointStore;
  readonly secrets: SecretBox;
  readonly urlPolicy: WebhookUrlPolicy;
  readonly now: () => Date;
}

/**
 * Sets a project's webhook endpoint. The signing secret is made on the first PUT (and on
 * `rotateSecret`), sealed with KMS for storage and returned only then; later PUTs change url and
 * types and keep the secret. The URL passes the SSRF guard first (`InvalidWebhookUrl`).
 */
export const configureWebhook = async (
  deps: WebhookConfigDeps,
  request: {
    projectId: string;
    url: string;
    eventTypes?: readonly string[];
    rotateSecret?: boolean;
  },
): Promise<{ endpoint: WebhookEndpoint; secret?: string }> => {
  // Checked, then kept as the client wrote it: deliveries parse it again, and what the client
  // reads back is what it sent, not a normalised spelling.
  await assertWebhookUrl(request.url, deps.urlPolicy);
  const url = request.url;
  const at = deps.now().toISOString();
  const eventTypes = request.eventTypes ? [...request.eventTypes] : null;
  const fresh = async () => {
    const secret = generateWebhookSecret();
    return { secret, sealed: await deps.secrets.seal(secret, { projectId: request.projectId }) };
  };
  if (!(await deps.endpoints.get(request.projectId))) {
    const { secret, sealed } = await fresh();
    const endpoint: WebhookEndpoint = {
      projectId: request.projectId,
      url,
      eventTypes,
      sealedSecret: sealed,
      secretVersion: 1,
      createdAt: at,
      updatedAt: at,
    };
    if (await deps.endpoints.create(endpoint)) return { endpoint, secret };
  }
  const rotated = request.rotateSecret ? await fresh() : undefined;
  const endpoint = await deps.endpoints.update(request.projectId, {
    url,
    eventTypes,
    updatedAt: at,
    ...(rotated ? { sealedSecret: rotated.sealed } : {}),
  });
  return rotated ? { endpoint, secret: rotated.secret } : { endpoint };
};
