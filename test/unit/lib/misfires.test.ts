import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MisfirePolicy,
  planRuns,
  runExecutionName,
  runIdForEvent,
  runIdForSchedule,
  taskInstanceId,
} from '../../../lambdas/lib/domain/misfires.ts';
import {
  canonicalInstant,
  parseSchedule,
  type Schedule,
} from '../../../lambdas/lib/domain/schedule.ts';
import { isSlot, nextSlot } from '../../../lambdas/lib/domain/schedule-slots.ts';

const ACTIVITY = '550e8400-e29b-41d4-a716-446655440000';
const hourly = parseSchedule('cron(0 * * * ? *)');
const at = (hour: string) => `2026-03-01T${hour}:00:00Z`;
const runId = (hour: string) => `activity-${ACTIVITY}:${at(hour)}`;

/** Feeds fires to the planner as the dispatcher does: the mark moves to each handled fire. */
const dispatch = (policy: MisfirePolicy, fires: string[], maxCatchup?: number) => {
  let highWater: string | undefined;
  const runs: { runId: string; window?: { from: string; to: string } }[] = [];
  for (const fired of fires) {
    for (const run of planRuns({ policy, maxCatchup, highWater, fired, schedule: hourly })) {
      runs.push({ runId: runIdForSchedule(ACTIVITY, run.scheduledFor), ...run });
    }
    if (highWater === undefined || fired > highWater) highWater = fired;
  }
  return runs.map(({ runId, window }) => (window ? { runId, window } : { runId }));
};

describe('misfire policies: an hourly schedule fired at 09:00, then at 14:00', () => {
  it('skip runs only the fired slots: 09:00 and 14:00', () => {
    expect(dispatch('skip', [at('09'), at('14')])).toEqual([
      { runId: runId('09') },
      { runId: runId('14') },
    ]);
  });

  it('catchup also runs every missed slot, oldest first: 09:00, 10:00 … 14:00', () => {
    expect(dispatch('catchup', [at('09'), at('14')])).toEqual(
      ['09', '10', '11', '12', '13', '14'].map((hour) => ({ runId: runId(hour) })),
    );
  });

  it('catchup with maxCatchup 2 runs the newest two missed slots: 09:00, 12:00, 13:00, 14:00', () => {
    expect(dispatch('catchup', [at('09'), at('14')], 2)).toEqual(
      ['09', '12', '13', '14'].map((hour) => ({ runId: runId(hour) })),
    );
  });

  it('compress runs 09:00, then one 14:00 run whose window spans 10:00–14:00', () => {
    expect(dispatch('compress', [at('09'), at('14')])).toEqual([
      { runId: runId('09') },
      { runId: runId('14'), window: { from: at('10'), to: at('14') } },
    ]);
  });
});

describe('planRuns', () => {
  it.each(['skip', 'catchup', 'compress'] as const)(
    'starts one run for the same fire delivered 10 times (%s)',
    (policy) => {
      expect(dispatch(policy, Array(10).fill(at('09')))).toEqual([{ runId: runId('09') }]);
    },
  );

  it('starts nothing for a late fire below the mark, even one never run', () => {
    const plan = { policy: 'catchup', highWater: at('14'), schedule: hourly } as const;
    expect(planRuns({ ...plan, fired: at('11') })).toEqual([]);
  });

  it('starts nothing for an instant that is not a slot of the schedule', () => {
    expect(planRuns({ policy: 'skip', fired: '2026-03-01T09:30:00Z', schedule: hourly })).toEqual(
      [],
    );
  });

  it('gives compress no window when no slot was missed', () => {
    const plan = {
      policy: 'compress',
      highWater: at('09'),
      fired: at('10'),
      schedule: hourly,
    } as const;
    expect(planRuns(plan)).toEqual([{ scheduledFor: at('10') }]);
  });

  it('normalises the fired instant, so +00:00 and Z name the same run', () => {
    expect(
      planRuns({ policy: 'skip', fired: '2026-03-01T09:00:00+00:00', schedule: hourly }),
    ).toEqual([{ scheduledFor: at('09') }]);
  });

  it.each([0, 101, 2.5])('refuses maxCatchup %s', (maxCatchup) => {
    expect(() =>
      planRuns({ policy: 'catchup', maxCatchup, fired: at('09'), schedule: hourly }),
    ).toThrow(RangeError);
  });
});

describe('deterministic ids', () => {
  it('names scheduled, event and task runs exactly as docs/api.md describes, with UTC instants', () => {
    expect(runIdForSchedule(ACTIVITY, '2026-03-01T09:00:00+00:00')).toBe(
      `activity-${ACTIVITY}:2026-03-01T09:00:00Z`,
    );
    expect(runIdForEvent(ACTIVITY, 'evt_abc123')).toBe(`activity-${ACTIVITY}:evt_abc123`);
    expect(taskInstanceId(runId('09'), 'http-ping', 2)).toBe(`task-${runId('09')}:http-ping:2`);
    expect(() => runIdForEvent(ACTIVITY, '')).toThrow(RangeError);
  });

  it('derives a valid, stable execution name per run id, distinct for distinct runs', () => {
    const name = runExecutionName(runId('09'));
    expect(name).toMatch(/^run-activity-550e8400-[A-Za-z0-9_-]+$/);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(runExecutionName(runId('09'))).toBe(name);
    expect(runExecutionName(runId('10'))).not.toBe(name);
  });
});

describe('planRuns properties', () => {
  const schedules: Schedule[] = [
    hourly,
    parseSchedule('cron(0/15 8-18 ? * MON-FRI *)', 'Europe/London'),
    parseSchedule('rate(7 minutes)', 'UTC', '2026-01-01T00:00:13Z'),
  ];
  const start = Date.UTC(2026, 0, 1);
  const instant = fc.integer({ min: 0, max: 120 * 24 * 60 }).map((m) => start + m * 60_000);

  it('plans slots above the mark, ascending, at most maxCatchup + 1, ending with the fire, once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.constantFrom<MisfirePolicy>('skip', 'catchup', 'compress'),
        fc.integer({ min: 1, max: 100 }),
        fc.option(instant, { nil: undefined }),
        instant,
        (schedule, policy, maxCatchup, markAt, firedAfter) => {
          const fired = nextSlot(schedule, canonicalInstant(firedAfter)) as string;
          const highWater = markAt === undefined ? undefined : canonicalInstant(markAt);
          const plan = { policy, maxCatchup, highWater, fired, schedule };

          const runs = planRuns(plan).map((run) => run.scheduledFor);

          expect(runs.every((slot) => isSlot(schedule, slot))).toBe(true);
          expect(runs.every((slot) => highWater === undefined || slot > highWater)).toBe(true);
          expect([...runs].sort()).toEqual([...new Set(runs)]);
          expect(runs.length).toBeLessThanOrEqual(maxCatchup + 1);
          if (highWater === undefined || fired > highWater) expect(runs.at(-1)).toBe(fired);
          if (policy !== 'catchup') expect(runs.length).toBeLessThanOrEqual(1);
          const mark = highWater !== undefined && highWater > fired ? highWater : fired;
          expect(planRuns({ ...plan, highWater: mark })).toEqual([]);
        },
      ),
    );
  });
});
