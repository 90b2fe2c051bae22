import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Migration,
  migrationBatches,
  migrations,
  TRANSACTION_ITEM_LIMIT,
} from '../../../lambdas/lib/domain/migrations.ts';

/** A migration writing `n` data items. */
const writing = (version: number, n: number): Migration => ({
  version,
  name: `m${version}`,
  items: Object.fromEntries(Array.from({ length: n }, (_, i) => [`item${i}`, { i }])),
});

/** Items a batch's transaction holds: storage check, project update, each record and its data. */
const transactionItems = (batch: Migration[]) =>
  2 + batch.reduce((sum, m) => sum + 1 + Object.keys(m.items).length, 0);

describe('migrationBatches', () => {
  it('puts the published migrations in one transaction', () => {
    expect(migrationBatches(migrations)).toEqual([migrations]);
  });

  it('keeps the order, leaves nothing out and keeps every transaction within the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: TRANSACTION_ITEM_LIMIT - 3 }), { maxLength: 40 }),
        (sizes) => {
          const list = sizes.map((n, i) => writing(i + 1, n));
          const batches = migrationBatches(list);
          expect(batches.flat()).toEqual(list);
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(transactionItems(batch)).toBeLessThanOrEqual(TRANSACTION_ITEM_LIMIT);
          }
          // Greedy: a batch is closed only when the next migration would not fit it.
          for (const [i, batch] of batches.slice(0, -1).entries()) {
            const next = batches[i + 1]?.[0] as Migration;
            expect(transactionItems([...batch, next])).toBeGreaterThan(TRANSACTION_ITEM_LIMIT);
          }
        },
      ),
    );
  });

  it('refuses a migration that cannot be applied with its record in one transaction', () => {
    expect(() => migrationBatches([writing(1, TRANSACTION_ITEM_LIMIT - 2)])).toThrow(
      /Migration 1 writes 99 items/,
    );
    expect(migrationBatches([writing(1, TRANSACTION_ITEM_LIMIT - 3)])).toHaveLength(1);
  });
});
