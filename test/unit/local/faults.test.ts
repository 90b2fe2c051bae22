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
    'step.X:fail@',
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

  it('fires a scoped fault only for work about its subject', () => {
    const faults = new Faults('step.A:fail:1@ord_1');
    expect(parseFaults('step.A:fail:1@ord_1')[0]?.subject).toBe('ord_1');
    expect(faults.take('step.A', 'fail')).toBe(false);
    expect(faults.take('step.A', 'fail', ['prj_1', 'ord_2'])).toBe(false);
    expect(faults.take('step.A', 'fail', ['prj_1', 'ord_1'])).toBe(true);
    expect(faults.take('step.A', 'fail', ['ord_1'])).toBe(false);
  });

  it("replaces one subject's faults and keeps the others", () => {
    const faults = new Faults('webhook:fail');
    faults.setFor('ord_1', 'step.A:fail');
    faults.setFor('ord_2', 'step.A:crash');
    faults.setFor('ord_1', 'step.A:timeout:1');
    expect(faults.list().map((f) => `${f.target}:${f.mode}@${f.subject ?? '*'}`)).toEqual([
      'webhook:fail@*',
      'step.A:crash@ord_2',
      'step.A:timeout@ord_1',
    ]);
    faults.setFor('ord_2', '');
    expect(faults.list()).toHaveLength(2);
  });
});
