import { describe, expect, it } from 'vitest';
import {
  BadFaultSpec,
  Faults,
  faultCatalogue,
  MODES,
  parseFaults,
} from '../../../infra/local/dev/faults.ts';
import { loadWorkflows } from '../../../infra/local/stepfunctions/definitions.ts';

/** The catalogue the twin builds: every Task state of statemachines/*.asl.json. */
const twinCatalogue = faultCatalogue(loadWorkflows(1).flatMap((w) => [...w.tasks.keys()]));
const small = faultCatalogue(['A', 'Charge']);

describe('fault injection by name', () => {
  it('parses targets, modes and counts', () => {
    expect(parseFaults('step.Charge:lose-response:2, webhook:fail', small)).toEqual([
      { target: 'step.Charge', mode: 'lose-response', remaining: 2, fired: 0 },
      { target: 'webhook', mode: 'fail', remaining: null, fired: 0 },
    ]);
    expect(parseFaults(' , ', small)).toEqual([]);
  });

  it.each([
    'step.A',
    'step.A:fail:0',
    'step.A:fail:1.5',
    'step.A:fail:+1',
    'step.A:fail:',
    'step.A:fail:2:3',
    ':fail',
    'step.A:fail@',
  ])('refuses the malformed "%s" with the syntax', (spec) => {
    expect(() => parseFaults(spec, small)).toThrow(/^Bad fault ".*": expected <target>:<fail\|/);
  });

  it('refuses a step that is no Task state, listing the ones there are', () => {
    expect(() => parseFaults('step.Charge:fail,step.RunMigration:fail', twinCatalogue)).toThrow(
      /Bad fault "step\.RunMigration:fail": no Task state "RunMigration".*RunMigrations/,
    );
  });

  it.each([
    ['provider.capture:fail', /unknown target "provider\.capture"/],
    ['mails:fail', /unknown target "mails"/],
    ['provider.charge:crash', /provider\.charge takes fail\|lose-response\|timeout, not "crash"/],
    ['webhook:timeout', /webhook takes fail, not "timeout"/],
    ['mail:lose-response:1', /mail takes fail, not "lose-response"/],
    ['step.Charge:explode', /step\.Charge takes fail\|.*, not "explode"/],
    ['step.Charge:lose_response', /step\.Charge takes fail\|.*, not "lose_response"/],
  ])('refuses "%s" naming the bad entry', (spec, message) => {
    expect(() => parseFaults(`step.Charge:fail,${spec}`, twinCatalogue)).toThrow(message);
    expect(() => parseFaults(spec, twinCatalogue)).toThrow(BadFaultSpec);
  });

  it('accepts every Task state of every state machine with every step mode', () => {
    const states = [...twinCatalogue.keys()].filter((target) => target.startsWith('step.'));
    expect(states).toEqual(
      expect.arrayContaining(['step.LogRun', 'step.RunTask', 'step.CompleteRun', 'step.Deliver']),
    );
    for (const state of states)
      expect(
        parseFaults(MODES.map((mode) => `${state}:${mode}:1`).join(','), twinCatalogue),
      ).toHaveLength(MODES.length);
  });

  it('accepts every fault string the test suites use', () => {
    const used = [
      'step.RunMigrations:fail',
      'step.RunMigrations:fail,step.SoftDeleteTenant:lose-response:1',
      'step.CreateTenantRecord:fail:1',
      'step.SendWelcomeEmail:crash:1',
      'step.MarkActive:timeout',
      'step.Fulfil:lose-response',
      'step.RunTask:lose-response:2',
      'step.Deliver:duplicate:3',
      'step.MarkFailed:fail',
      'step.MarkOrderFailed:fail',
      'step.RecordReceiptFailed:crash',
      'provider.charge:fail:3,provider.charge:lose-response:2,provider.charge:timeout:1',
      'provider.refund:timeout:1',
      'webhook:fail:2',
      'mail:fail:7',
    ];
    for (const spec of used) expect(() => parseFaults(spec, twinCatalogue), spec).not.toThrow();
  });

  it('keeps the armed faults when a new list is refused', () => {
    const faults = new Faults('step.A:fail:2', small);
    expect(() => faults.set('step.A:fail,step.B:fail')).toThrow(/no Task state "B"/);
    expect(faults.list()).toEqual([{ target: 'step.A', mode: 'fail', remaining: 2, fired: 0 }]);
  });

  it('without a catalogue, knows the targets outside the state machines only', () => {
    expect(new Faults('provider.charge:timeout:1').list()).toHaveLength(1);
    expect(() => new Faults('step.Charge:fail')).toThrow(BadFaultSpec);
  });

  it('fires a counted fault n times, then never again, and counts its firings', () => {
    const faults = new Faults('step.A:fail:2', small);
    expect([1, 2, 3].map(() => faults.take('step.A', 'fail'))).toEqual([true, true, false]);
    expect(faults.list()).toEqual([{ target: 'step.A', mode: 'fail', remaining: 0, fired: 2 }]);
  });

  it('fires an uncounted fault every time, and only for its target and mode', () => {
    const faults = new Faults('step.A:fail', small);
    expect(faults.take('step.A', 'fail')).toBe(true);
    expect(faults.take('step.A', 'fail')).toBe(true);
    expect(faults.take('step.Charge', 'fail')).toBe(false);
    expect(faults.take('step.A', 'lose-response')).toBe(false);
    expect(faults.list()).toEqual([{ target: 'step.A', mode: 'fail', remaining: null, fired: 2 }]);
  });

  it('fires a scoped fault only for work about its subject', () => {
    const faults = new Faults('step.A:fail:1@ord_1', small);
    expect(parseFaults('step.A:fail:1@ord_1', small)[0]?.subject).toBe('ord_1');
    expect(faults.take('step.A', 'fail')).toBe(false);
    expect(faults.take('step.A', 'fail', ['prj_1', 'ord_2'])).toBe(false);
    expect(faults.take('step.A', 'fail', ['prj_1', 'ord_1'])).toBe(true);
    expect(faults.take('step.A', 'fail', ['ord_1'])).toBe(false);
  });

  it("replaces one subject's faults and keeps the others", () => {
    const faults = new Faults('webhook:fail', small);
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
