import { PRICES } from './prices.ts';

/** What one API operation with everything it set off consumed, as the bench counted it. */
export interface Consumption {
  readonly label: string;
  /** DynamoDB calls by command (SDK middleware count). */
  readonly commands: Readonly<Record<string, number>>;
  readonly transitions: number;
  /** Lambda invocations: the HTTP handler plus one per Task transition (an upper bound). */
  readonly invocations: number;
  /** Billed milliseconds per invocation (measured handler duration, rounded up). */
  readonly msPerInvocation: number;
}

const READS = new Set(['GetCommand', 'GetItemCommand', 'QueryCommand', 'ScanCommand']);
/** Transactions are billed two units per item; the counter sees calls, so two items assumed. */
const TRANSACTION_UNITS = 4;
/** Logged bytes per invocation (Powertools JSON lines, START/END/REPORT) — an estimate. */
const LOG_BYTES_PER_INVOCATION = 1500;
const MEMORY_GB = 0.5;

/**
 * $ per million operations by term. Items are taken as ≤ 1 KB written / ≤ 4 KB read, so a call is
 * one unit (reads strongly consistent: one RRU); a failed conditional write is billed like a
 * successful one, which the counter already includes since it counts calls, not outcomes.
 */
export const costPerMillion = (c: Consumption) => {
  let wru = 0;
  let rru = 0;
  for (const [command, n] of Object.entries(c.commands)) {
    if (READS.has(command)) rru += n;
    else if (command.startsWith('Transact')) wru += n * TRANSACTION_UNITS;
    else wru += n;
  }
  const terms = {
    apiGateway: PRICES.apiGatewayRestPerMillion.usd,
    lambda:
      c.invocations * PRICES.lambdaRequestsPerMillion.usd +
      c.invocations * (c.msPerInvocation / 1000) * MEMORY_GB * PRICES.lambdaArmGbSecond.usd * 1e6,
    dynamodb:
      wru * PRICES.dynamoWritePerMillionUnits.usd + rru * PRICES.dynamoReadPerMillionUnits.usd,
    stepFunctions: c.transitions * PRICES.stepFunctionsStandardPerMillionTransitions.usd,
    xray: PRICES.xrayTracesRecordedPerMillion.usd,
    logs:
      ((c.invocations * LOG_BYTES_PER_INVOCATION) / 1e9) *
      1e6 *
      PRICES.cloudWatchLogsIngestionPerGb.usd,
  };
  const total = Object.values(terms).reduce((a, b) => a + b, 0);
  const [dominant] = Object.entries(terms).sort((a, b) => b[1] - a[1]);
  return {
    label: c.label,
    terms,
    total,
    dominant: dominant?.[0] ?? '',
    share: (dominant?.[1] ?? 0) / total,
  };
};
