import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startMain } from '../support/main-process.ts';
import { activeProject } from '../support/projects.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

const expectBadRequest = (
  response: { status: number; headers: Headers; body: { type?: string; detail?: string } },
  detail: RegExp,
) => {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body.type).toBe('https://retrysafe.dev/problems/bad_request');
  expect(response.body.detail).toMatch(detail);
};

describe('PUT /v1/_dev/faults', () => {
  it.each([
    ['step.RunMigration:fail', /"step\.RunMigration:fail": no Task state "RunMigration"/],
    ['provider.capture:fail:1', /"provider\.capture:fail:1": unknown target "provider\.capture"/],
    ['provider.refund:crash', /"provider\.refund:crash": provider\.refund takes .*not "crash"/],
    ['step.RunTask:lose-respons', /"step\.RunTask:lose-respons": step\.RunTask takes /],
    ['webhook:fail:0', /"webhook:fail:0": expected <target>:</],
  ])('answers 400 naming "%s" and keeps the faults armed before', async (bad, detail) => {
    expect((await t.api.put('/_dev/faults', { faults: 'step.LogRun:fail:1' })).status).toBe(200);
    const refused = await t.api.put('/_dev/faults', { faults: `mail:fail:2,${bad}` });
    expectBadRequest(refused, detail);
    expect((await t.api.get('/_dev/faults')).body).toEqual([
      { target: 'step.LogRun', mode: 'fail', remaining: 1, fired: 0 },
    ]);
    await t.api.delete('/_dev/faults');
  });

  it('answers 400 for a body without a faults string, rather than clearing them', async () => {
    await t.api.put('/_dev/faults', { faults: 'mail:fail' });
    expectBadRequest(await t.api.put('/_dev/faults', { fault: '' }), /faults/);
    expect((await t.api.get('/_dev/faults')).body).toHaveLength(1);
    await t.api.delete('/_dev/faults');
    expect((await t.api.get('/_dev/faults')).body).toEqual([]);
  });

  it('GET shows how many times each fault fired', async () => {
    const armed = await t.api.put('/_dev/faults', {
      faults: 'step.CreateTenantRecord:fail:2,step.RunMigrations:lose-response:1,step.Refund:fail',
    });
    expect(armed.status).toBe(200);
    expect(armed.body.map((f: { fired: number }) => f.fired)).toEqual([0, 0, 0]);
    await activeProject(t, 'Fired');
    const listed = (await t.api.get('/_dev/faults')).body;
    await t.api.delete('/_dev/faults');
    expect(listed).toEqual([
      { target: 'step.CreateTenantRecord', mode: 'fail', remaining: 0, fired: 2 },
      { target: 'step.RunMigrations', mode: 'lose-response', remaining: 0, fired: 1 },
      { target: 'step.Refund', mode: 'fail', remaining: null, fired: 0 },
    ]);
  });
});

describe('RETRYSAFE_FAULTS', () => {
  it('refuses to start the twin on an unknown Task state, naming it', async () => {
    const { child, output } = startMain({
      PORT: '0',
      RETRYSAFE_FAULTS: 'step.RunTask:fail:1,step.Charges:fail',
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toContain(
      'retrysafe twin failed to start: Bad fault "step.Charges:fail": no Task state "Charges"',
    );
    expect(output()).not.toContain('ready');
  });
});
