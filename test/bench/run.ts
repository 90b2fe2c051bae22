import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { applyTwinEnvironment } from '../../infra/local/environment.ts';
import { REPO_ROOT } from '../../infra/local/lambda/functions.ts';
import { startTwin } from '../../infra/local/twin.ts';
import { BASELINE, coldStarts } from './cold-start.ts';
import { costPerMillion } from './cost.ts';
import { DynamoCounter } from './dynamo-counter.ts';
import { authorizerEvent, createKeyEvent, provisionEvent } from './events.ts';
import { PRICES, PRICES_READ_ON } from './prices.ts';
import { sagaFigures } from './sagas.ts';

/**
 * `npm run bench`: figures, never assertions.
 *  1. DynamoDB calls (SDK middleware) of POST /v1/projects — first, replay, and without the
 *     idempotency layer — plus the saga's calls per provisioning.
 *  2. Per saga (provisioning, charges with and without lost responses, webhook deliveries):
 *     DynamoDB calls, payment provider calls, Step Functions state transitions.
 *  3. Handler latency in process (median of N).
 *  4. `npm start` time to ready (median of 3 cold starts).
 *  5. Cold start: every function next to a minimal Powertools idempotent handler, both bundled
 *     with the function construct's esbuild options — bytes and median import time.
 *  6. $ per million API operations with their sagas, from the price table in prices.ts.
 * `--json FILE` also writes every figure as JSON, to compare commits.
 */
const jsonFile = process.argv.includes('--json')
  ? process.argv[process.argv.indexOf('--json') + 1]
  : undefined;
const COLD_RUNS = Math.max(5, Number(process.env.BENCH_COLD_RUNS ?? 5));
const N = Number(process.env.BENCH_N ?? 50);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const row = (...cells: (string | number)[]) =>
  console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 14)).join(''));

const dynamoCalls = async () => {
  const twin = await startTwin({ port: 0, logLevel: 'SILENT' });
  const { dynamoClient } = await import('../../lambdas/lib/adapters/dynamodb.ts');
  const counter = new DynamoCounter();
  counter.attach(dynamoClient());
  const invoke = (label: string, key: string) =>
    counter.run(label, async () => {
      const started = performance.now();
      const response = (await twin.functions.invoke('PostProjects', provisionEvent(key))) as {
        statusCode: number;
      };
      if (response.statusCode !== 202) throw new Error(`POST answered ${response.statusCode}`);
      return performance.now() - started;
    });

  const timings = { first: [] as number[], replay: [] as number[], bare: [] as number[] };
  const calls: Record<string, { total: number; commands: string }> = {};
  for (let i = 0; i < N; i += 1) {
    timings.first.push(await invoke('first', `bench-${i}`));
    timings.replay.push(await invoke('replay', `bench-${i}`));
    process.env.POWERTOOLS_IDEMPOTENCY_DISABLED = 'true';
    timings.bare.push(await invoke('bare', `bench-bare-${i}`));
    delete process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;
    await twin.executions.idle();
    if (i === 0)
      for (const label of ['first', 'replay', 'bare']) calls[label] = counter.take(label);
  }
  // Authorizer cost: the admin token is compared in memory; a project key is one GetItem.
  const project = (await twin.functions.invoke('PostProjects', provisionEvent('bench-auth'))) as {
    body: string;
  };
  const projectId = JSON.parse(project.body).id as string;
  await twin.executions.idle();
  const key = (await twin.functions.invoke('PostKeys', createKeyEvent(projectId, 'bench-key'))) as {
    body: string;
  };
  counter.take('background');
  for (const [label, token] of [
    ['auth-admin', twin.adminToken],
    ['auth-key', JSON.parse(key.body).secret],
  ] as const) {
    await counter.run(label, () => twin.functions.invoke('Authorizer', authorizerEvent(token)));
    calls[label] = counter.take(label);
  }
  const sagas = await sagaFigures(twin, counter);
  await twin.stop();
  return { calls, timings, sagas };
};

const startupTimes = async (runs = 3) => {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      child.stdout?.on('data', (chunk) => String(chunk).includes('ready in') && resolve()),
    );
    times.push(performance.now() - started);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return times;
};

/** The handlers' environment as the twin sets it (endpoints unused: nothing is called). */
const handlerEnvironment = (): NodeJS.ProcessEnv => {
  const saved = { ...process.env };
  applyTwinEnvironment({
    dynamoEndpoint: 'http://127.0.0.1:9',
    awsEndpoint: 'http://127.0.0.1:9',
    tablePrefix: 'bench-',
    adminToken: 'bench',
    timeScale: 0.01,
    logLevel: 'SILENT',
    stripeApiBase: 'http://127.0.0.1:9',
    stripeTimeoutMs: 1000,
  });
  const env = { ...process.env };
  process.env = saved;
  return env;
};

const cold = await coldStarts(handlerEnvironment(), COLD_RUNS);
console.log(
  `\nCold start: bundle bytes and median import time over ${cold.runs} fresh node processes, next to a minimal Powertools idempotent handler built with the same esbuild options (infra/constructs/function.ts)`,
);
row('function', 'KiB', 'import ms', '× bytes', '× import', 'target');
for (const f of cold.functions) {
  const target = f.name === BASELINE ? '' : f.stripe ? '≤ 1.6×' : '≤ 1.3× / 1.25×';
  row(
    f.name,
    (f.bytes / 1024).toFixed(1),
    f.importMs.toFixed(1),
    f.bytesRatio.toFixed(2),
    f.importRatio.toFixed(2),
    target,
  );
}
const misses = cold.functions.filter((f) =>
  f.stripe ? f.bytesRatio > 1.6 || f.importRatio > 1.6 : f.bytesRatio > 1.3 || f.importRatio > 1.25,
);
console.log(`over target: ${misses.length ? misses.map((f) => f.name).join(', ') : 'none'}`);
console.log(
  `--enable-source-maps: baseline import × ${cold.sourceMapsCost.toFixed(2)} with the flag (left off; the .map ships for when it is needed)`,
);

const { calls, timings, sagas } = await dynamoCalls();
console.log('\nDynamoDB calls per POST /v1/projects (SDK middleware count)');
row('request', 'calls', 'commands');
row('first request (idempotency layer)', calls.first?.total ?? 0, calls.first?.commands ?? '');
row(
  'replay, same key + body (warm instance)',
  calls.replay?.total ?? 0,
  calls.replay?.commands ?? '',
);
row('same handler, layer disabled', calls.bare?.total ?? 0, calls.bare?.commands ?? '');
console.log(
  `ratios: first/bare ${((calls.first?.total ?? 0) / (calls.bare?.total || 1)).toFixed(2)}, replay/first ${((calls.replay?.total ?? 0) / (calls.first?.total || 1)).toFixed(2)}`,
);

console.log('\nAuthorizer: DynamoDB calls per authorized request');
row('admin token', calls['auth-admin']?.total ?? 0, calls['auth-admin']?.commands ?? '');
row('project API key', calls['auth-key']?.total ?? 0, calls['auth-key']?.commands ?? '');

console.log(
  '\nSagas: one request and everything it set off (DynamoDB calls include the HTTP handlers)',
);
row('request', 'DynamoDB', 'provider', 'transitions', 'webhook POSTs');
for (const f of sagas) row(f.label, f.dynamoCalls, f.providerCalls, f.transitions, f.webhookPosts);

console.log(`\nPOST /v1/projects handler latency in the twin (median of ${N}, DynamoDB Local)`);
row('first request', `${median(timings.first).toFixed(1)} ms`);
row('replay', `${median(timings.replay).toFixed(1)} ms`);
row('layer disabled', `${median(timings.bare).toFixed(1)} ms`);
console.log(
  `ratios: first/bare ${(median(timings.first) / median(timings.bare)).toFixed(2)}, replay/first ${(median(timings.replay) / median(timings.first)).toFixed(2)}`,
);

const startup = await startupTimes();
console.log('\nnpm start → ready (DynamoDB Local start, tables, handlers imported)');
row(
  'median of 3',
  `${median(startup).toFixed(0)} ms`,
  `runs: ${startup.map((t) => t.toFixed(0)).join(', ')} ms`,
);

const msPerInvocation = Math.ceil(median(timings.first));
const replay = { byCommand: {} as Record<string, number>, ...calls.replay };
const operations = [
  ...sagas.map((f) => ({
    label: f.label,
    commands: f.dynamoCommands,
    transitions: f.transitions,
    invocations: 1 + f.transitions,
    msPerInvocation,
  })),
  {
    label: 'replay (warm instance)',
    commands: replay.byCommand,
    transitions: 0,
    invocations: 1,
    msPerInvocation: Math.ceil(median(timings.replay)),
  },
];
const costs = operations.map(costPerMillion);
console.log(
  `\n$ per million operations, us-east-1 list prices read ${PRICES_READ_ON} (test/bench/prices.ts); Lambda at 512 MB × ${msPerInvocation} ms measured`,
);
row('operation', 'total', 'API GW', 'Lambda', 'DynamoDB', 'SFN', 'X-Ray', 'Logs', 'dominant');
for (const c of costs)
  row(
    c.label,
    `$${c.total.toFixed(2)}`,
    ...Object.values(c.terms).map((v) => v.toFixed(2)),
    `${c.dominant} ${(c.share * 100).toFixed(0)} %`,
  );

if (jsonFile) {
  writeFileSync(
    jsonFile,
    `${JSON.stringify({ calls, timings: { first: median(timings.first), replay: median(timings.replay), bare: median(timings.bare) }, startup, sagas, cold, costs, prices: PRICES, pricesReadOn: PRICES_READ_ON }, null, 2)}\n`,
  );
  console.log(`\nfigures written to ${jsonFile}`);
}
