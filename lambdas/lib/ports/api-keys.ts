import type { ApiKey } from '../domain/api-keys.ts';

/** Where API keys live. */
export interface ApiKeyStore {
  /**
   * Stores a new key and its audit entry, atomically, if the project can have keys (provisioning
   * or active). `exists` when the id is taken. Throws ProjectNotFound / ProjectStateConflict.
   */
  create(key: ApiKey, actor: string): Promise<'created' | 'exists'>;
  get(keyId: string): Promise<ApiKey | undefined>;
  list(projectId: string): Promise<ApiKey[]>;
  /**
   * Sets `revokedAt` once (with its audit entry); a repeat returns the original `revokedAt`.
   * Undefined when the project has no such key.
   */
  revoke(
    projectId: string,
    keyId: string,
    at: string,
    actor: string,
  ): Promise<{ id: string; revokedAt: string } | undefined>;
}
