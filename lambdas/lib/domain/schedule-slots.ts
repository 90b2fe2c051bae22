import { type CronExpression, CronExpressionParser } from 'cron-parser';
import { canonicalInstant, type Instant, type Schedule, toMs, UNIT_MS } from './schedule.ts';

/**
 * The slots of an EventBridge Scheduler schedule (parsed by `schedule.ts`): next, previous,
 * membership and bounded ranges, in AWS's years 1970–2199 and with AWS's DST rules.
 */
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
