import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Migration,
  migrationBatches,
  migrations,
  TRANSACTION_ITEM_LIMIT,
} from '../../../lambdas/lib/domain/migrations.ts';

/** A migration writing `n` data items of its own, and the `shared` item too when asked. */
const writing = (version: number, n: number, shared = false): Migration => ({
  version,
  name: `m${version}`,
  items: {
    ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${version}.item${i}`, { i }])),
    ...(shared ? { shared: { version } } : {}),
  },
});

const names = (batch: Migration[]) => batch.flatMap((m) => Object.keys(m.items));

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
        fc.array(fc.tuple(fc.integer({ min: 0, max: TRANSACTION_ITEM_LIMIT - 4 }), fc.boolean()), {
          maxLength: 40,
        }),
        (sizes) => {
          const list = sizes.map(([n, shared], i) => writing(i + 1, n, shared));
          const batches = migrationBatches(list);
          expect(batches.flat()).toEqual(list);
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(transactionItems(batch)).toBeLessThanOrEqual(TRANSACTION_ITEM_LIMIT);
            expect(new Set(names(batch)).size, 'an item written twice').toBe(names(batch).length);
          }
          // Greedy: a batch is closed only when the next migration would not fit it or would
          // write one of its items again.
          for (const [i, batch] of batches.slice(0, -1).entries()) {
            const next = batches[i + 1]?.[0] as Migration;
            const tooBig = transactionItems([...batch, next]) > TRANSACTION_ITEM_LIMIT;
            const again = new Set(names([...batch, next])).size < names([...batch, next]).length;
            expect(tooBig || again).toBe(true);
          }
        },
      ),
    );
  });

  it('starts a new batch when a migration writes an item the batch already writes', () => {
    const settings = (version: number): Migration => ({
      version,
      name: `settings-${version}`,
      items: { settings: { version } },
    });
    const list = [writing(1, 2), settings(2), writing(3, 1), settings(4), settings(5)];
    expect(migrationBatches(list).map((batch) => batch.map((m) => m.version))).toEqual([
      [1, 2, 3],
      [4],
      [5],
    ]);
  });

  it('refuses a migration that cannot be applied with its record in one transaction', () => {
    expect(() => migrationBatches([writing(1, TRANSACTION_ITEM_LIMIT - 2)])).toThrow(
      /Migration 1 writes 99 items/,
    );
    expect(migrationBatches([writing(1, TRANSACTION_ITEM_LIMIT - 3)])).toHaveLength(1);
  });
});
