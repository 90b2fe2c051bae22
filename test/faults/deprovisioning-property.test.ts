import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { projectToDelete } from '../support/projects.ts';
import { checkSequences, propertyRuns } from '../support/property.ts';
import { useTwin } from '../support/twin.ts';

/** 200 in `npm test` (or as many as its time budget allows, at least 20); `npm run test:long` raises it. */
const RUNS = propertyRuns('RETRYSAFE_PROPERTY_RUNS', 200);

const t = useTwin();
let projects = 0;

const STEPS = [
  'RevokeAllKeys',
  'StopSchedules',
  'DropTenantStorage',
  'SoftDeleteTenant',
  'MarkDeleted',
];
const MODES = ['fail', 'lose-response', 'timeout', 'crash', 'duplicate'] as const;

/** A fault in `RETRYSAFE_FAULTS` syntax: transient (1–3 attempts) or for good. */
const fault = fc.record({
  target: fc.constantFrom(...STEPS.map((s) => `step.${s}`)),
  mode: fc.constantFrom(...MODES),
  n: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
});
type Fault = { target: string; mode: string; n: number | undefined };
const spec = (f: Fault) => `${f.target}:${f.mode}${f.n ? `:${f.n}` : ''}`;

/** An active project with two keys and an hourly activity (so it has a schedule). */
const fixture = async () => {
  projects += 1;
  return projectToDelete(t, `D${projects}`);
};

/** What deprovisioning must have undone, counted by what each effect is. */
const remains = async (projectId: string) => {
  const keys = (await t.api.get(`/projects/${projectId}/keys`)).body.keys as {
    revokedAt?: string;
  }[];
  const schedules = ((await t.api.get('/_dev/schedules')).body as { projectId?: string }[]).filter(
    (s) => s.projectId === projectId,
  );
  const tenant = (await t.scan('platform')).filter((i) => i.pk === `TENANT#${projectId}`);
  const audit = (await t.api.get(`/projects/${projectId}/audit`)).body.entries as {
    action: string;
  }[];
  return {
    status: (await t.api.get(`/projects/${projectId}`)).body.status as string,
    liveKeys: keys.filter((k) => !k.revokedAt).length,
    keys: keys.length,
    schedules: schedules.length,
    tenantRows: tenant.map((i) => String(i.sk)),
    softDeleted: tenant.find((i) => i.sk === 'TENANT')?.deletedAt !== undefined,
    deletedEntries: audit.filter((e) => e.action === 'project.deleted').length,
  };
};

/** Sagas run side by side per batch; each one's faults are scoped to its project. */
const CONCURRENCY = 40;

describe('deprovision-project under random fault sequences (fast-check)', () => {
  it(`ends deleted with every effect undone once, or stays deleting until the next DELETE finishes it (${RUNS} sequences)`, async () => {
    const checked = await checkSequences(
      fc.array(fault, { maxLength: 3 }),
      async (faults) => {
        const projectId = await fixture();
        t.twin.faults.setFor(projectId, faults.map(spec).join(','));
        const first = await t.api.delete(`/projects/${projectId}`);
        return async () => {
          t.twin.faults.setFor(projectId, '');
          expect(first.status).toBe(202);
          const executions = () =>
            t.twin.executions
              .list(localStateMachineArn('deprovision-project'))
              .filter((e) => e.name.startsWith(`deprovision-${projectId}`));
          const [run] = executions();
          expect(run?.status).toMatch(/^(SUCCEEDED|FAILED)$/);

          const after = await remains(projectId);
          if (run?.status === 'FAILED' && after.status === 'deleted') {
            // The one way to fail after finishing: MarkDeleted's write landed but every answer
            // was lost, so the execution reports a failure the project does not have.
            expect(
              faults.some(
                (f) => f.target === 'step.MarkDeleted' && f.mode !== 'fail' && f.n === undefined,
              ),
            ).toBe(true);
          } else if (run?.status === 'FAILED') {
            // Not finished, and says so: the project stays `deleting` and a DELETE finishes it.
            expect(after.status).toBe('deleting');
            expect(after.deletedEntries).toBe(0);
            expect((await t.api.delete(`/projects/${projectId}`)).status).toBe(202);
            await t.idle();
            expect(
              executions()
                .map((e) => e.status)
                .sort(),
            ).toEqual(['FAILED', 'SUCCEEDED']);
          }
          const done = await remains(projectId);
          expect(done).toEqual({
            status: 'deleted',
            liveKeys: 0,
            keys: 2,
            schedules: 0,
            tenantRows: ['TENANT'],
            softDeleted: true,
            deletedEntries: 1,
          });
        };
      },
      () => t.idle(),
      { sequences: RUNS, minSequences: 20, concurrency: CONCURRENCY },
    );
    console.info(`deprovisioning property: ${checked.sequences} of ${RUNS} sequences`);
  }, 900_000);
});
