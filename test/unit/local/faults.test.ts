import { describe, expect, it } from 'vitest';
import { Faults, parseFaults } from '../../../infra/local/dev/faults.ts';

describe('fault injection by name', () => {
  it('parses targets, modes and counts', () => {
    expect(parseFaults('step.Charge:lose-response:2, webhook:fail')).toEqual([
      { target: 'step.Charge', mode: 'lose-response', remaining: 2 },
      { target: 'webhook', mode: 'fail', remaining: null },
    ]);
  });

  it.each([
    'step.X',
    'step.X:explode',
    'step.X:fail:0',
    'step.X:fail:1.5',
    'step.X:fail:2:3',
    ':fail',
  ])('refuses "%s" with a readable message', (spec) => {
    expect(() => parseFaults(spec)).toThrow(/Bad fault/);
  });

  it('fires a counted fault n times, then never again', () => {
    const faults = new Faults('step.A:fail:2');
    expect([1, 2, 3].map(() => faults.take('step.A', 'fail'))).toEqual([true, true, false]);
  });

  it('fires an uncounted fault every time, and only for its target and mode', () => {
    const faults = new Faults('step.A:fail');
    expect(faults.take('step.A', 'fail')).toBe(true);
    expect(faults.take('step.A', 'fail')).toBe(true);
    expect(faults.take('step.B', 'fail')).toBe(false);
    expect(faults.take('step.A', 'lose-response')).toBe(false);
  });
});
