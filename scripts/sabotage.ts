/**
 * `npm run test:sabotage`: shows that the suite catches the defects that matter. Each sabotage is
 * a one-line change of the kind a review found the suite blind to — a second charge under another
 * provider key, a compensation that does nothing, a refund key that changes per retry, a deletion
 * that overwrites its first timestamp, a loosened IAM condition, a dedupe that lets a concurrent
 * duplicate through. The script copies the repository to a scratch directory, applies one
 * sabotage at a time, runs the tests that guard against it and expects at least one of them to
 * fail on an assertion (a file that no longer compiles does not count). Exit code 1 when any
 * sabotage survives, or when the guarding tests fail without a sabotage.
 *
 * `npm run test:long` runs it; `-- --only <name>` runs one.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Sabotage {
  readonly name: string;
  readonly file: string;
  /** Text that must occur exactly once in the file. */
  readonly find: string;
  readonly replace: string;
  /** vitest arguments: the files (and `-t` filter) that must turn red. */
  readonly tests: readonly string[];
  /** Extra environment for both runs (e.g. fewer property runs than the default). */
  readonly env?: Readonly<Record<string, string>>;
}

const matrix = (filter: string) => ['test/faults/fault-matrix.test.ts', '-t', filter];

/** The activity property, at 100 runs: each sabotage below turns it red well within them. */
const activityProperty = {
  tests: ['test/faults/activity-property.test.ts'],
  env: { RETRYSAFE_PROPERTY_RUNS: '100' },
};

export const SABOTAGES: readonly Sabotage[] = [
  {
    name: 'second charge under another provider key',
    file: 'lambdas/lib/domain/charging.ts',
    find: "  await effectDone('provider.charge');",
    replace:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text, not a template
      "  await deps.provider.charge({ amount: input.amount, currency: input.currency, customerId: input.customerId, idempotencyKey: `${input.idempotencyKey}-again`, metadata: { projectId: input.projectId, orderId: input.orderId } }); await effectDone('provider.charge');",
    tests: ['test/integration/charging.test.ts'],
  },
  {
    name: 'RevokeEntitlement compensation does nothing',
    file: 'lambdas/steps/revoke-entitlement.ts',
    find: '    await deps.orders.revokeEntitlement(projectId, orderId);',
    replace: '    void deps.orders;',
    tests: matrix('charge-order RevokeEntitlement fail'),
  },
  {
    name: 'DropTenantStorage compensation does nothing',
    file: 'lambdas/steps/drop-tenant-storage.ts',
    find: '    const deleted = await deps.tenants.dropStorage(projectId);',
    replace: '    const deleted = 0;',
    tests: matrix('provision-project DropTenantStorage fail'),
  },
  {
    name: 'refund key changes on every retry',
    file: 'lambdas/lib/domain/charging.ts',
    find: '    chargeId: charge.chargeId,\n    idempotencyKey: input.idempotencyKey,\n  });',
    replace:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text, not a template
      '    chargeId: charge.chargeId,\n    idempotencyKey: `${input.idempotencyKey}-${Date.now()}`,\n  });',
    tests: matrix('charge-order Refund crash'),
  },
  {
    name: 'soft delete overwrites the first deletion time',
    file: 'lambdas/lib/adapters/dynamo-tenants.ts',
    find: "          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',",
    replace: "          ConditionExpression: 'attribute_exists(pk)',",
    tests: ['test/integration/step-retry.test.ts'],
  },
  {
    name: 'table key usable outside DynamoDB (IAM condition loosened)',
    file: 'infra/constructs/access.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: source text, not a template
    find: "        StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(fn).region}.amazonaws.com` },",
    replace: "        StringLike: { 'kms:ViaService': '*' },",
    tests: ['test/infra/least-privilege.test.ts'],
  },
  {
    name: 'webhook attempt claim ignores a running attempt',
    file: 'lambdas/lib/adapters/dynamo-project-events.ts',
    find: ' AND (attribute_not_exists(delivery.claimedUntil) OR delivery.claimedUntil < :now)',
    replace: '',
    tests: matrix('deliver-webhook Deliver duplicate'),
  },
  {
    name: 'welcome e-mail claim lease ignored (a running send can be taken over)',
    file: 'lambdas/lib/adapters/dynamo-once.ts',
    find: "            ':stale': this.now() - claimLeaseMs(),",
    replace: "            ':stale': Number.MAX_SAFE_INTEGER,",
    tests: matrix('provision-project SendWelcomeEmail duplicate'),
  },
  {
    name: 'task instance claim ignored (a duplicate RunTask pings twice)',
    file: 'lambdas/steps/run-task.ts',
    find: '      if (!claimed)\n',
    replace: '      if (claimed === undefined)\n',
    ...activityProperty,
  },
  {
    name: 'task instance index restarts with each spec (two ping specs share ids)',
    file: 'lambdas/lib/domain/activities.ts',
    find: '  const index = instanceCountOf(before) + slot.index;',
    replace: '  const index = 0 * instanceCountOf(before) + slot.index;',
    ...activityProperty,
  },
  {
    name: 'a late fire below the high-water mark starts a run',
    file: 'lambdas/lib/domain/misfires.ts',
    find: '  if (highWater !== undefined && fired <= highWater) return [];',
    replace: '  if (highWater !== undefined && fired === highWater) return [];',
    ...activityProperty,
  },
  {
    name: 'a run LogRun never wrote is not logged by CompleteRun',
    file: 'lambdas/steps/complete-run.ts',
    find: '    if (finished) return { runId, status: finished.status };',
    replace: "    if (finished || runId) return { runId, status: finished?.status ?? 'failed' };",
    ...activityProperty,
  },
];

const root = join(import.meta.dirname, '..');

/** A copy of the tracked files with the repository's node_modules linked in. */
const scratchCopy = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'retrysafe-sabotage-'));
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .stdout.split('\0')
    .filter(Boolean);
  for (const file of files) cpSync(join(root, file), join(dir, file), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
};

/** Runs vitest in `dir`; answers whether some test failed on an assertion, and the output. */
const vitest = (
  dir: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
) => {
  const run = spawnSync('node_modules/.bin/vitest', ['run', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, RETRYSAFE_TESTS: 'all', NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout}${run.stderr}`;
  const count = (what: string) =>
    Number(new RegExp(`Tests\\s+.*?(\\d+) ${what}`).exec(output)?.[1] ?? 0);
  // A filter that matches nothing passes vacuously: no test ran, nothing was guarded.
  return { ok: run.status === 0 && count('passed') > 0, failedTests: count('failed'), output };
};

const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : undefined;
const chosen = SABOTAGES.filter((s) => !only || s.name.includes(only));
const dir = scratchCopy();
let survivors = 0;
try {
  for (const sabotage of chosen) {
    const path = join(dir, sabotage.file);
    const original = readFileSync(path, 'utf8');
    if (original.split(sabotage.find).length !== 2) {
      throw new Error(`"${sabotage.name}": the text to replace is not in ${sabotage.file} once`);
    }
    // The guard first passes on the intact code, so a red run below is the sabotage's doing.
    const clean = vitest(dir, sabotage.tests, sabotage.env);
    writeFileSync(path, original.replace(sabotage.find, sabotage.replace));
    const sabotaged = vitest(dir, sabotage.tests, sabotage.env);
    writeFileSync(path, original);
    const caught = clean.ok && !sabotaged.ok && sabotaged.failedTests > 0;
    if (!caught) survivors += 1;
    const verdict = !clean.ok
      ? 'GUARD RED WITHOUT SABOTAGE'
      : caught
        ? `caught (${sabotaged.failedTests} failing)`
        : 'SURVIVED';
    console.log(`${verdict.padEnd(28)} ${sabotage.name} — ${sabotage.tests.join(' ')}`);
    if (!caught) console.log((clean.ok ? sabotaged : clean).output.slice(-4000));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${chosen.length - survivors} of ${chosen.length} sabotages caught`);
process.exit(survivors === 0 ? 0 : 1);
