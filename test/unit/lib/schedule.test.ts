import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalInstant,
  InvalidInstant,
  InvalidSchedule,
  parseSchedule,
} from '../../../lambdas/lib/domain/schedule.ts';
import {
  isSlot,
  latestSlotsBetween,
  nextSlot,
  previousSlot,
  slotsBetween,
} from '../../../lambdas/lib/domain/schedule-slots.ts';

const FAR = '2199-12-31T23:59:59Z';
const first = (expression: string, after: string, count: number, timezone?: string) =>
  slotsBetween(parseSchedule(expression, timezone), after, FAR, count);

describe('canonicalInstant', () => {
  it.each([
    ['2026-03-01T09:00:00+00:00', '2026-03-01T09:00:00Z'],
    ['2026-03-01T10:00:00+01:00', '2026-03-01T09:00:00Z'],
    ['2026-03-01T09:00:00.999Z', '2026-03-01T09:00:00Z'],
    [Date.UTC(2026, 2, 1, 9), '2026-03-01T09:00:00Z'],
  ])('writes %s as %s: UTC, whole seconds, Z', (value, expected) => {
    expect(canonicalInstant(value)).toBe(expected);
  });

  it.each([
    '2026-02-30T09:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-13-01T09:00:00Z',
    '2026-03-01',
    '2026-03-01T09:00Z',
    '2026-03-01T09:00:00',
    'yesterday',
  ])('refuses "%s" rather than guess or roll it over', (value) => {
    expect(() => canonicalInstant(value)).toThrow(InvalidInstant);
  });
});

describe('parseSchedule: what AWS would refuse is refused, with a reason', () => {
  it.each([
    ['rate(1 hours)', /"hour" for a value of 1/],
    ['rate(5 minute)', /"minutes" otherwise/],
    ['rate(0 minutes)', /Expected rate/],
    ['rate(1 week)', /Expected rate/],
    ['cron(0 9 * * ?)', /six fields/],
    ['cron(0 9 * * * *)', /Exactly one of day-of-month and day-of-week must be \?/],
    ['cron(0 9 ? * ? *)', /Exactly one/],
    ['cron(0 9 15W * ? *)', /W \(nearest weekday\).*not supported/],
    ['cron(0 9 LW * ? *)', /W \(nearest weekday\).*not supported/],
    ['cron(0 9 L-2 * ? *)', /L-n .*not supported/],
    ['cron(0 9 ? * 2/2 *)', /\/ in day-of-week/],
    ['cron(0 9 ? * 0 *)', /day-of-week 0: use 1–7/],
    ['cron(H 9 * * ? *)', /minutes field "H"/],
    ['cron(0 24 * * ? *)', /expected range 0-23/],
    ['cron(0 9 30 2 ? *)', /Invalid cron expression/],
    ['cron(0 9 * * ? 1969)', /Invalid year "1969"/],
    ['at(2026-03-01T09:00:00)', /at\(\) one-time schedules are not supported/],
  ])('refuses %s', (expression, reason) => {
    expect(() => parseSchedule(expression, 'UTC', '2026-03-01T00:00:00Z')).toThrow(reason);
  });

  it.each(['Mars/Olympus', '+01:00', 'europe/london', ''])('refuses the time zone "%s"', (tz) => {
    expect(() => parseSchedule('cron(0 9 * * ? *)', tz)).toThrow(InvalidSchedule);
  });

  it('needs an anchor for a rate schedule, because AWS counts it from StartDate or creation', () => {
    expect(() => parseSchedule('rate(5 minutes)')).toThrow(/needs an anchor/);
  });
});

describe('rate schedules', () => {
  const every15 = parseSchedule('rate(15 minutes)', 'UTC', '2026-03-01T09:07:00Z');

  it('fires at the anchor and every period after it, never before', () => {
    expect(slotsBetween(every15, '2026-03-01T00:00:00Z', '2026-03-01T09:40:00Z', 10)).toEqual([
      '2026-03-01T09:07:00Z',
      '2026-03-01T09:22:00Z',
      '2026-03-01T09:37:00Z',
    ]);
    expect(previousSlot(every15, '2026-03-01T09:07:00Z')).toBeUndefined();
    expect(previousSlot(every15, '2300-01-01T00:00:00Z')).toBe('2199-12-31T23:52:00Z');
  });

  it('counts days as 24 hours, whatever the time zone does', () => {
    const daily = parseSchedule('rate(1 day)', 'Europe/London', '2026-03-28T12:00:00Z');
    expect(nextSlot(daily, '2026-03-28T12:00:00Z')).toBe('2026-03-29T12:00:00Z');
  });
});

describe('cron schedules', () => {
  it('numbers days of the week as AWS does: 1 = SUN … 7 = SAT', () => {
    expect(first('cron(0 9 ? * 2 *)', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-02T09:00:00Z']);
    expect(first('cron(0 9 ? * MON-FRI *)', '2026-03-06T10:00:00Z', 1)).toEqual([
      '2026-03-09T09:00:00Z',
    ]);
  });

  it('supports # (nth weekday), nL (last weekday), L (last day) and ? in either day field', () => {
    expect(first('cron(0 9 ? * 3#2 *)', '2026-03-01T00:00:00Z', 2)).toEqual([
      '2026-03-10T09:00:00Z',
      '2026-04-14T09:00:00Z',
    ]);
    expect(first('cron(0 9 ? * 5L *)', '2026-03-01T00:00:00Z', 1)).toEqual([
      '2026-03-26T09:00:00Z',
    ]);
    expect(first('cron(0 9 L * ? *)', '2026-04-01T00:00:00Z', 1)).toEqual(['2026-04-30T09:00:00Z']);
    expect(first('cron(0 9 ? * L *)', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-07T09:00:00Z']);
  });

  it('fires only in the years of its year field, counted in its own time zone', () => {
    expect(first('cron(0 9 1 JAN ? 2027,2030)', '2026-03-01T00:00:00Z', 5)).toEqual([
      '2027-01-01T09:00:00Z',
      '2030-01-01T09:00:00Z',
    ]);
    expect(first('cron(0 0 1 1 ? 2027)', '2026-03-01T00:00:00Z', 1, 'Pacific/Kiritimati')).toEqual([
      '2026-12-31T10:00:00Z',
    ]);
    expect(first('cron(0 0 29 2 ? 2100)', '2026-03-01T00:00:00Z', 1)).toEqual([]);
  });

  it('evaluates the expression in its time zone', () => {
    const paris = parseSchedule('cron(0 9 1 * ? *)', 'Europe/Paris');
    expect(slotsBetween(paris, '2026-03-01T00:00:00Z', '2026-04-01T23:00:00Z', 5)).toEqual([
      '2026-03-01T08:00:00Z',
      '2026-04-01T07:00:00Z',
    ]);
  });

  it('skips a wall time that does not exist when clocks go forward', () => {
    expect(first('cron(30 1 * * ? *)', '2026-03-28T00:00:00Z', 2, 'Europe/London')).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-30T00:30:00Z',
    ]);
  });

  it('fires a wall time repeated when clocks go back once, both going forward and back', () => {
    const halfHourly = parseSchedule('cron(0/30 * * * ? *)', 'Europe/London');
    const expected = ['2026-10-25T00:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T02:00:00Z'];

    expect(slotsBetween(halfHourly, '2026-10-24T23:45:00Z', '2026-10-25T02:00:00Z', 9)).toEqual(
      expected,
    );
    expect(
      latestSlotsBetween(halfHourly, '2026-10-24T23:45:00Z', '2026-10-25T02:00:00Z', 9),
    ).toEqual(expected);
  });
});

describe('slot queries', () => {
  const hourly = parseSchedule('cron(0 * * * ? *)');

  it('tells a slot from an instant that is not one', () => {
    expect(isSlot(hourly, '2026-03-01T09:00:00Z')).toBe(true);
    expect(isSlot(hourly, '2026-03-01T10:00:00+01:00')).toBe(true);
    expect(isSlot(hourly, '2026-03-01T09:00:01Z')).toBe(false);
    expect(isSlot(hourly, '2026-03-01T09:30:00Z')).toBe(false);
  });

  it('returns the oldest or the newest slots of a range, ascending, at most limit of them', () => {
    const [after, until] = ['2026-03-01T09:00:00Z', '2026-03-01T14:00:00Z'];
    expect(slotsBetween(hourly, after, until, 2)).toEqual([
      '2026-03-01T10:00:00Z',
      '2026-03-01T11:00:00Z',
    ]);
    expect(latestSlotsBetween(hourly, after, until, 2)).toEqual([
      '2026-03-01T13:00:00Z',
      '2026-03-01T14:00:00Z',
    ]);
    expect(slotsBetween(hourly, until, after, 5)).toEqual([]);
  });

  it('refuses a limit that could not be bounded', () => {
    expect(() => slotsBetween(hourly, '2026-03-01T00:00:00Z', FAR, 10_001)).toThrow(RangeError);
    expect(() => slotsBetween(hourly, '2026-03-01T00:00:00Z', FAR, 1.5)).toThrow(RangeError);
  });

  it('agrees with itself: each slot of a range is a slot, and the next one follows it', () => {
    const schedules = [
      parseSchedule('cron(0/20 * * * ? *)', 'America/New_York'),
      parseSchedule('cron(30 1 ? * 1-5 *)', 'Europe/London'),
      parseSchedule('rate(7 minutes)', 'UTC', '2026-01-01T00:00:13Z'),
    ];
    const start = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.integer({ min: 1, max: 10 }),
        (schedule, minutes, limit) => {
          const after = canonicalInstant(start + minutes * 60_000);
          const slots = slotsBetween(schedule, after, FAR, limit);
          expect(slots).toHaveLength(limit);
          slots.forEach((slot, i) => {
            expect(isSlot(schedule, slot)).toBe(true);
            expect(nextSlot(schedule, i === 0 ? after : (slots[i - 1] as string))).toBe(slot);
          });
          const last = slots[slots.length - 1] as string;
          expect(latestSlotsBetween(schedule, after, last, limit)).toEqual(slots);
        },
      ),
      { numRuns: 100 },
    );
  });
});
