/** PlatformTable key builders; the key schema is documented in `infra/tables.ts`. */
export const projectKey = (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'PROJECT' });

export const onceKey = (projectId: string, dedupeKey: string) => ({
  pk: `PROJECT#${projectId}`,
  sk: `ONCE#${dedupeKey}`,
});

export const tenantPartition = (projectId: string) => `TENANT#${projectId}`;

export const tenantKey = (projectId: string) => ({ pk: tenantPartition(projectId), sk: 'TENANT' });

export const storageKey = (projectId: string) => ({
  pk: tenantPartition(projectId),
  sk: 'STORAGE',
});

export const MIGRATION_PREFIX = 'MIGRATION#';

export const migrationKey = (projectId: string, version: number) => ({
  pk: tenantPartition(projectId),
  sk: `${MIGRATION_PREFIX}${String(version).padStart(4, '0')}`,
});

export const dataKey = (projectId: string, name: string) => ({
  pk: tenantPartition(projectId),
  sk: `DATA#${name}`,
});

/** Removes the key attributes and item kind from a stored item. */
export const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
};
