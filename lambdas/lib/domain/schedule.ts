import { type CronExpression, CronExpressionParser } from 'cron-parser';
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
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSchedule';
  }
}

/** A string that is not an ISO-8601 date-time with seconds and an explicit offset. */
export class InvalidInstant extends DomainError {
  constructor(value: unknown) {
    super(`Not an ISO-8601 date-time with seconds and an offset: ${String(value)}`);
    this.name = 'InvalidInstant';
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const isoOf = (ms: number) => (Number.isNaN(ms) ? '' : new Date(ms).toISOString());

/** Epoch ms of an instant. Round-tripping the wall-clock part refuses what `Date` rolls over. */
const toMs = (value: string | Date | number): number => {
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
 * offset (`…+00:00` as seed 001 writes it), a Date or epoch ms, so equal instants give equal run ids.
 */
export const canonicalInstant = (value: string | Date | number): Instant => {
  const iso = isoOf(Math.floor(toMs(value) / 1000) * 1000);
  if (!/^\d{4}-/.test(iso)) throw new InvalidInstant(value);
  return `${iso.slice(0, 19)}Z`;
};

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
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

const FIRST_MS = Date.UTC(1970, 0, 1);
const LAST_MS = Date.UTC(2200, 0, 1) - 1000;
const formats = new Map<string, Intl.DateTimeFormat>();

const n = 'numeric';
const PARTS = {
  hourCycle: 'h23',
  year: n,
  month: n,
  day: n,
  hour: n,
  minute: n,
  second: n,
} as const;

/** The wall-clock time at `ms` in `timezone`, expressed as if that wall clock were UTC. */
const wall = (ms: number, timeZone: string): number => {
  const format = formats.get(timeZone) ?? new Intl.DateTimeFormat('en-US', { ...PARTS, timeZone });
  formats.set(timeZone, format);
  const p = Object.fromEntries(format.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year ?? Number.NaN, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
};

/** True for the second occurrence of a wall time repeated when clocks go back (AWS fires once). */
const repeatedWallTime = (ms: number, timezone: string): boolean => {
  const earlier = ms - 3 * UNIT_MS.hour;
  const shift = wall(earlier, timezone) - earlier - (wall(ms, timezone) - ms);
  return shift > 0 && wall(ms - shift, timezone) === wall(ms, timezone);
};

/** Midnight of 1 January of `year` in `timezone`, as epoch ms. */
const startOfYear = (year: number, timezone: string): number => {
  const utc = Date.UTC(year, 0, 1);
  return utc - (wall(utc, timezone) - utc);
};

function* rateSlots(anchor: number, period: number, from: number, forward: boolean) {
  let k = forward
    ? Math.max(0, Math.floor((from - anchor) / period) + 1)
    : Math.ceil((from - anchor) / period) - 1;
  for (; k >= 0 && anchor + k * period <= LAST_MS; k += forward ? 1 : -1) yield anchor + k * period;
}

/** cron-parser's occurrences, minus those AWS would not fire: other years, DST-shifted, repeats. */
function* cronSlots(schedule: Extract<Schedule, { kind: 'cron' }>, from: number, forward: boolean) {
  const { timezone } = schedule;
  const cron: CronExpression = CronExpressionParser.parse(schedule.fields, {
    tz: timezone,
    currentDate: new Date(from),
  });
  const years = schedule.years ?? [1970, 2199];
  const inYears = (y: number) =>
    y >= 1970 && y <= 2199 && (!schedule.years || schedule.years.includes(y));
  for (let steps = 0; steps < 100_000; steps++) {
    let at: number;
    try {
      at = (forward ? cron.next() : cron.prev()).getTime();
    } catch {
      return; // cron-parser found no further occurrence within its own loop limit
    }
    const local = new Date(wall(at, timezone));
    if (!inYears(local.getUTCFullYear())) {
      const year = local.getUTCFullYear();
      const target = forward ? years.find((y) => y > year) : years.findLast((y) => y < year);
      if (target === undefined) return;
      const jump = forward
        ? startOfYear(target, timezone) - 1000
        : startOfYear(target + 1, timezone);
      if (forward ? jump > at : jump < at) cron.reset(new Date(jump));
    } else if (
      (cron.fields.hour.values as number[]).includes(local.getUTCHours()) &&
      (cron.fields.minute.values as number[]).includes(local.getUTCMinutes()) &&
      !repeatedWallTime(at, timezone)
    ) {
      steps = 0;
      yield at;
    }
  }
  throw new Error(`No progress iterating ${schedule.expression}`);
}

/** Slots after (forward) or before `from`, exclusive, within AWS's years 1970–2199. */
const slots = (schedule: Schedule, from: number, forward: boolean): Iterator<number> => {
  const at = Math.max(FIRST_MS - 1000, Math.min(from, LAST_MS + 1000));
  return schedule.kind === 'rate'
    ? rateSlots(Date.parse(schedule.anchor), schedule.periodMs, at, forward)
    : cronSlots(schedule, at, forward);
};

/** Up to `limit` slots from the iterator while `within` holds: bounded however bad the input. */
const take = (slots: Iterator<number>, limit: number, within: (at: number) => boolean) => {
  if (!Number.isInteger(limit) || limit < 0 || limit > 10_000)
    throw new RangeError(`limit ${limit}`);
  const out: Instant[] = [];
  for (let s = slots.next(); out.length < limit && !s.done && within(s.value); s = slots.next())
    out.push(canonicalInstant(s.value));
  return out;
};

/** The first slot strictly after `afterExclusive`, or undefined when the schedule has ended. */
export const nextSlot = (schedule: Schedule, afterExclusive: string): Instant | undefined =>
  take(slots(schedule, toMs(afterExclusive), true), 1, () => true)[0];

/** The last slot strictly before `beforeExclusive`, or undefined when there is none. */
export const previousSlot = (schedule: Schedule, beforeExclusive: string): Instant | undefined =>
  take(slots(schedule, toMs(beforeExclusive), false), 1, () => true)[0];

/** True when the schedule fires at exactly this instant. */
export const isSlot = (schedule: Schedule, instant: string): boolean => {
  const ms = toMs(instant);
  return (
    ms % 1000 === 0 && nextSlot(schedule, canonicalInstant(ms - 1000)) === canonicalInstant(ms)
  );
};

/** The oldest `limit` (≤ 10 000) slots in (`afterExclusive`, `untilInclusive`], ascending. */
export const slotsBetween = (
  schedule: Schedule,
  afterExclusive: string,
  untilInclusive: string,
  limit: number,
): Instant[] => {
  const until = toMs(untilInclusive);
  return take(slots(schedule, toMs(afterExclusive), true), limit, (at) => at <= until);
};

/** The newest `limit` (≤ 10 000) slots in (`afterExclusive`, `untilInclusive`], ascending. */
export const latestSlotsBetween = (
  schedule: Schedule,
  afterExclusive: string,
  untilInclusive: string,
  limit: number,
): Instant[] => {
  const after = toMs(afterExclusive);
  const from = Math.floor(toMs(untilInclusive) / 1000) * 1000 + 1000;
  return take(slots(schedule, from, false), limit, (at) => at > after).reverse();
};
