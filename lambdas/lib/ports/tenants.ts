import type { Migration } from '../domain/migrations.ts';
import type { Plan } from '../domain/project.ts';

export interface Tenant {
  readonly projectId: string;
  readonly plan: Plan;
  readonly createdAt: string;
  readonly deletedAt?: string;
}

/** The data plane of a project: its tenant record, storage and applied migrations. */
export interface TenantStore {
  /** Creates the tenant record if absent; returns the stored one. */
  createTenant(tenant: Tenant): Promise<Tenant>;
  /** Creates tenant storage if absent; returns when it was created. */
  createStorage(projectId: string, at: string): Promise<{ createdAt: string }>;
  /** Versions of the migrations applied so far. */
  appliedVersions(projectId: string): Promise<number[]>;
  /**
   * Applies a batch of migrations (one transaction; see `migrationBatches`) and records each,
   * atomically, and moves the project's schema version to the batch's last. Writes nothing and
   * returns false when any of them is recorded already. Throws `ProjectStateConflict` when tenant
   * storage does not exist.
   */
  applyMigrations(projectId: string, batch: readonly Migration[], at: string): Promise<boolean>;
  /** Deletes every item of tenant storage; returns how many were deleted (0 when none). */
  dropStorage(projectId: string): Promise<number>;
  /** Marks the tenant deleted unless it already is; returns the stored record (undefined if none). */
  softDelete(projectId: string, at: string): Promise<Tenant | undefined>;
}
