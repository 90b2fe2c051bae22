/**
 * Tenant storage migrations: a versioned, append-only list. Each is applied once per tenant, in a
 * transaction with its MIGRATION# record (like a migration tool's version table), and the
 * project's `schemaVersion` moves to its version. Never edit a published migration; add one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Items this migration writes into tenant storage, keyed by their `DATA#` name. */
  readonly items: Readonly<Record<string, Record<string, unknown>>>;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create-settings',
    items: { settings: { timezone: 'UTC', locale: 'en' } },
  },
  {
    version: 2,
    name: 'default-quotas',
    items: { quotas: { requestsPerMinute: 600, storageMb: 1024 } },
  },
  {
    version: 3,
    name: 'audit-retention',
    items: { retention: { auditDays: 90 } },
  },
];

/** The newest schema version. */
export const latestSchemaVersion = (): number => Math.max(0, ...migrations.map((m) => m.version));
