import { IdempotencyWindowExpired, NotFound } from '../errors.ts';
import type { ApiKeyStore } from '../ports/api-keys.ts';
import { type ApiKey, keyIdFor, newSecret, secretHash } from './api-keys.ts';

export interface KeyDeps {
  readonly keys: ApiKeyStore;
  readonly now: () => Date;
}

/**
 * Creates a project key whose id is derived from (project, request id). The secret exists only in
 * this answer (and its idempotency record for the replay window): a retry after the window finds
 * the key and can only say so (`IdempotencyWindowExpired`) — never a second key.
 */
export const createApiKey = async (
  deps: KeyDeps,
  request: { projectId: string; requestId: string; name: string | undefined; actor: string },
): Promise<{ key: ApiKey; secret: string }> => {
  const id = keyIdFor(request.projectId, request.requestId);
  const secret = newSecret(id);
  const key: ApiKey = {
    id,
    projectId: request.projectId,
    name: request.name ?? null,
    hash: secretHash(secret),
    createdAt: deps.now().toISOString(),
    revokedAt: null,
  };
  if ((await deps.keys.create(key, request.actor)) === 'exists') {
    throw new IdempotencyWindowExpired(
      `Key ${id} was created by an earlier request with this Idempotency-Key; its secret cannot be shown again`,
    );
  }
  return { key, secret };
};

/** Revokes a key once; every repeat answers with the first `revokedAt`. */
export const revokeApiKey = async (
  deps: KeyDeps,
  request: { projectId: string; keyId: string; actor: string },
): Promise<{ id: string; revokedAt: string }> => {
  const revoked = await deps.keys.revoke(
    request.projectId,
    request.keyId,
    deps.now().toISOString(),
    request.actor,
  );
  if (!revoked) throw new NotFound(`No key ${request.keyId} in project ${request.projectId}`);
  return revoked;
};
