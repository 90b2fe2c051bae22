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

/** DynamoDB's limit on the items of one transaction. */
export const TRANSACTION_ITEM_LIMIT = 100;

/** Items a batch's transaction writes besides the migrations': the storage check and the project. */
const BATCH_OVERHEAD = 2;

/** Items one migration adds to a transaction: its record and its data items. */
const itemsOf = (migration: Migration) => 1 + Object.keys(migration.items).length;

/**
 * Splits migrations, in order, into batches that each fit one transaction. A fresh tenant gets
 * every migration in one write instead of one per version. A transaction may touch an item only
 * once, so a migration that writes an item already written in the batch starts a new one. Throws
 * when a single migration cannot fit a transaction (it could never be applied atomically with its
 * record).
 */
export const migrationBatches = (
  list: readonly Migration[],
  limit = TRANSACTION_ITEM_LIMIT,
): Migration[][] => {
  const batches: Migration[][] = [];
  let batch: Migration[] = [];
  let items = BATCH_OVERHEAD;
  let written = new Set<string>();
  for (const migration of list) {
    const size = itemsOf(migration);
    if (size + BATCH_OVERHEAD > limit) {
      throw new Error(
        `Migration ${migration.version} writes ${size} items; one transaction holds ${limit}`,
      );
    }
    const names = Object.keys(migration.items);
    if (items + size > limit || names.some((name) => written.has(name))) {
      batches.push(batch);
      batch = [];
      items = BATCH_OVERHEAD;
      written = new Set();
    }
    batch.push(migration);
    items += size;
    for (const name of names) written.add(name);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
};
