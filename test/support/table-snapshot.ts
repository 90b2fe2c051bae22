import type { TestTwin } from './twin.ts';

/** Every row of both tables, once background work has settled. */
export type Rows = readonly Record<string, unknown>[];

export const scanBoth = async (t: TestTwin): Promise<Rows> => {
  await t.idle();
  return [...(await t.scan('platform')), ...(await t.scan('idempotency'))];
};

/**
 * How far ahead a row counts as expiring: DynamoDB's TTL may delete it (and the stream consumer
 * audit the deletion) at any moment from its expiry on, whatever requests are being made.
 */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The rows as one comparable text, without what the clock rather than a request changes: rows
 * whose TTL (`expiration` on the idempotency table, `expiresAt` on the platform table) falls
 * before `asOf` plus a margin, and the audit entries TTL deletions write (actor `dynamodb`).
 * A long fuzz outlives the 5-minute create-key and webhook records; without this, their expiry
 * between two scans reads as a refused request having written.
 */
export const comparable = (rows: Rows, asOf: number = Date.now()): string => {
  const horizon = asOf / 1000 + EXPIRY_MARGIN_SECONDS;
  return rows
    .filter((row) => {
      if (row.actor === 'dynamodb') return false;
      const expiry = row.expiration ?? row.expiresAt;
      return typeof expiry !== 'number' || expiry > horizon;
    })
    .map((row) => JSON.stringify(row))
    .sort()
    .join('\n');
};
