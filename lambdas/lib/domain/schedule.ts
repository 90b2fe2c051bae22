import { CronExpressionParser } from 'cron-parser';
import { DomainError } from '../errors.ts';

/**
 * EventBridge Scheduler expressions (`rate(…)`, `cron(…)`) and the slots they define. cron-parser
 * does the calendar and time-zone math; this wrapper adds what AWS has and it lacks: the year
 * field, AWS's day-of-week numbering (1 = SUN … 7 = SAT), the rule that exactly one day field is
 * `?`, AWS's per-field wildcard sets, and AWS's DST rules (a wall time skipped in spring does not
 * fire; a wall time repeated in autumn fires once). Unsupported, and refused rather than
 * mis-scheduled: `W`/`LW` and `L-n` in day-of-month, `/` in day-of-week, and `at(…)` schedules.
 */

/** A UTC instant in the one canonical format run ids embed: `2026-03-01T09:00:00Z`. */
export type Instant = string;

/**
 * A parsed schedule, plain data. `rate`: slots at `anchor + k × periodMs`, k ≥ 0. `cron`: the
 * cron-parser expression (seconds field 0, day-of-week renumbered) plus the AWS year field.
 */
export type Schedule =
  | {
      readonly kind: 'rate';
      readonly expression: string;
      readonly timezone: string;
      readonly periodMs: number;
      readonly anchor: Instant;
    }
  | {
      readonly kind: 'cron';
      readonly expression: string;
      readonly timezone: string;
      readonly fields: string;
      readonly years?: readonly number[];
    };

/** A schedule expression, time zone or anchor AWS would refuse (a `400`, never retried). */
export class InvalidSchedule extends DomainError {
  override readonly problemCode = 'validation_failed';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSchedule';
  }
}

/** A string that is not an ISO-8601 date-time with seconds and an explicit offset. */
export class InvalidInstant extends DomainError {
  override readonly problemCode = 'validation_failed';

  constructor(value: unknown) {
    super(`Not an ISO-8601 date-time with seconds and an offset: ${String(value)}`);
    this.name = 'InvalidInstant';
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** ISO string of epoch ms ('' for NaN). */
export const isoOf = (ms: number) => (Number.isNaN(ms) ? '' : new Date(ms).toISOString());

/** Epoch ms of an instant. Round-tripping the wall-clock part refuses what `Date` rolls over. */
export const toMs = (value: string | Date | number): number => {
  const ms = typeof value === 'string' ? Date.parse(value) : new Date(value).getTime();
  const wallClock = typeof value === 'string' ? value.slice(0, 19) : '';
  const exact =
    typeof value !== 'string' ||
    (ISO.test(value) && isoOf(Date.parse(`${wallClock}Z`)).startsWith(wallClock));
  if (Number.isNaN(ms) || !exact) throw new InvalidInstant(value);
  return ms;
};

/**
 * The canonical form of an instant: UTC, whole seconds (fractions are dropped), `Z`. Accepts any
 * offset (`…+00:00` as some clients write it), a Date or epoch ms, so equal instants give equal run ids.
 */
export const canonicalInstant = (value: string | Date | number): Instant => {
  const iso = isoOf(Math.floor(toMs(value) / 1000) * 1000);
  if (!/^\d{4}-/.test(iso)) throw new InvalidInstant(value);
  return `${iso.slice(0, 19)}Z`;
};

/** Milliseconds per rate unit. */
export const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const names = (field: string, list: string[]) =>
  field
    .toUpperCase()
    .replace(/[A-Z]{3}/g, (n) => (list.includes(n) ? String(list.indexOf(n) + 1) : n));

/** Expands a year field (`, - * /`, 1970–2199); undefined means every year. */
const expandYears = (field: string): number[] | undefined => {
  if (field === '*') return undefined;
  const years = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d{4})(?:-(\d{4}))?)(?:\/(\d+))?$/.exec(part);
    const from = m?.[1] === '*' ? 1970 : Number(m?.[2]);
    const to = m?.[3] ? Number(m[3]) : m?.[1] === '*' || m?.[4] ? 2199 : from;
    const step = m?.[4] ? Number(m[4]) : 1;
    if (!m || from < 1970 || to > 2199 || from > to || step < 1)
      throw new InvalidSchedule(`Invalid year "${part}": use 1970–2199 with , - * /`);
    for (let y = from; y <= to; y += step) years.add(y);
  }
  return [...years].sort((a, b) => a - b);
};

/** AWS day-of-week (1 = SUN … 7 = SAT, `L` alone = SAT) → cron-parser's (0 = SUN … 6 = SAT). */
const dayOfWeek = (field: string): string =>
  field === '?' || field === '*'
    ? field
    : names(field, DAYS)
        .replace(/^L$/, '7')
        .replace(/(\d+)(#\d+)?/g, (_, day: string, nth = '') => {
          if (Number(day) < 1 || Number(day) > 7)
            throw new InvalidSchedule(`Invalid day-of-week ${day}: use 1–7 (SUN–SAT)`);
          return `${Number(day) - 1}${nth}`;
        });

const FIELD_CHARS: [string, RegExp][] = [
  ['minutes', /^[\d*,/-]+$/],
  ['hours', /^[\d*,/-]+$/],
  ['day-of-month', /^([\d*,/-]+|L|\?)$/],
  ['month', /^[\d*,/-]+$/],
  ['day-of-week', /^[\d*,?L#-]+$/],
];

const parseCron = (expression: string, body: string, timezone: string): Schedule => {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new InvalidSchedule(
      'cron() needs six fields: minutes hours day-of-month month day-of-week year',
    );
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  if (/W/i.test(dom))
    throw new InvalidSchedule('W (nearest weekday) in day-of-month is not supported');
  if (/L-/.test(dom)) throw new InvalidSchedule('L-n (offset from month end) is not supported');
  if (dow.includes('/')) throw new InvalidSchedule('/ in day-of-week is not supported by AWS');
  if ((dom === '?') === (dow === '?'))
    throw new InvalidSchedule('Exactly one of day-of-month and day-of-week must be ?');
  const plain = [min, hour, dom, names(month, MONTHS), names(dow, DAYS)];
  plain.forEach((value, i) => {
    const [label, chars] = FIELD_CHARS[i] as [string, RegExp];
    if (!chars.test(value)) throw new InvalidSchedule(`Invalid ${label} field "${fields[i]}"`);
  });
  const cron = `0 ${min} ${hour} ${dom} ${plain[3]} ${dayOfWeek(dow)}`;
  try {
    CronExpressionParser.parse(cron, { tz: timezone });
  } catch (error) {
    throw new InvalidSchedule(`Invalid cron expression: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const years = expandYears(year);
  return { kind: 'cron', expression, timezone, fields: cron, ...(years ? { years } : {}) };
};

/**
 * Parses and validates a schedule as EventBridge Scheduler would. A rate schedule counts from its
 * `anchor` (AWS: the StartDate, else the creation time); cron schedules ignore it.
 * @throws InvalidSchedule for the expression or zone; InvalidInstant for a malformed anchor
 */
export const parseSchedule = (expression: string, timezone = 'UTC', anchor?: string): Schedule => {
  // Intl also takes offsets ("+01:00", on newer Node) and any letter case; AWS wants IANA names.
  let resolved = '';
  try {
    if (/^[A-Za-z][\w+-]*(\/[\w+-]+)*$/.test(timezone))
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions()
        .timeZone;
  } catch {
    // Not a zone ICU knows: `resolved` stays empty and the zone is refused below.
  }
  if (!resolved || (resolved !== timezone && resolved.toLowerCase() === timezone.toLowerCase()))
    throw new InvalidSchedule(`Unknown IANA time zone "${timezone}"`);
  const rate = /^rate\(([1-9]\d{0,5}) (minute|hour|day)(s?)\)$/.exec(expression);
  if (rate) {
    const [, value = '', unit = 'day', plural] = rate;
    if ((value === '1') === (plural === 's'))
      throw new InvalidSchedule(`Use "${unit}" for a value of 1 and "${unit}s" otherwise`);
    if (anchor === undefined) throw new InvalidSchedule('A rate schedule needs an anchor instant');
    const at = canonicalInstant(anchor);
    const periodMs = Number(value) * UNIT_MS[unit as keyof typeof UNIT_MS];
    return { kind: 'rate', expression, timezone, periodMs, anchor: at };
  }
  if (expression.startsWith('at('))
    throw new InvalidSchedule('at() one-time schedules are not supported');
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return parseCron(expression, cron[1] ?? '', timezone);
  throw new InvalidSchedule('Expected rate(value unit) or cron(fields)');
};
