import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING } from '../../infra/constructs/function.ts';
import { REPO_ROOT } from '../../infra/local/lambda/functions.ts';
import { streamConsumers } from '../../lambdas/events/consumers.ts';
import { eventFunctions } from '../../lambdas/events/functions.ts';
import { authorizer, routes } from '../../lambdas/http/routes.ts';
import { steps } from '../../lambdas/steps/registry.ts';

/** One function's bundle and import time, next to the baseline's. */
export interface ColdStart {
  readonly name: string;
  readonly bytes: number;
  readonly importMs: number;
  readonly bytesRatio: number;
  readonly importRatio: number;
  /** Functions that bundle the Stripe SDK have the looser target. */
  readonly stripe: boolean;
}

export const BASELINE = 'Powertools baseline';
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The CDK's bundling props as esbuild options (what NodejsFunction passes to esbuild). */
const esbuildOptions = (entry: string, outfile: string) => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node' as const,
  format: BUNDLING.format === 'esm' ? ('esm' as const) : ('cjs' as const),
  target: BUNDLING.target,
  minify: BUNDLING.minify,
  sourcemap: BUNDLING.sourceMap,
  sourcesContent: BUNDLING.sourcesContent,
  mainFields: BUNDLING.mainFields,
  banner: { js: BUNDLING.banner },
  external: BUNDLING.externalModules,
  logLevel: 'warning' as const,
  metafile: true,
});

/** Milliseconds from a fresh process's first line to the handler module being evaluated. */
const importOnce = (file: string, env: NodeJS.ProcessEnv, sourceMaps: boolean): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const args = [
    ...(sourceMaps ? ['--enable-source-maps'] : []),
    '--input-type=module',
    '-e',
    script,
  ];
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`import of ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
};

/**
 * Builds the baseline and every function with the CDK's esbuild options and imports each in
 * `runs` fresh node processes, interleaved (baseline, f1, f2, …, baseline, …) so load on the
 * machine hits all alike. Returns medians and ratios to the baseline, plus the baseline's import
 * time with `--enable-source-maps`, the measurement behind leaving that flag off.
 */
export const coldStarts = async (env: NodeJS.ProcessEnv, runs: number) => {
  const out = mkdtempSync(join(tmpdir(), 'retrysafe-cold-'));
  try {
    const functions = [
      { name: BASELINE, entry: 'test/bench/baseline-handler.ts' },
      ...[...routes, authorizer, ...steps, ...streamConsumers, ...eventFunctions],
    ];
    const bundles = [];
    for (const fn of functions) {
      const file = join(out, fn.name, 'index.mjs');
      const result = await build(esbuildOptions(resolve(REPO_ROOT, fn.entry), file));
      const stripe = Object.keys(result.metafile?.inputs ?? {}).some((i) =>
        i.includes('node_modules/stripe/'),
      );
      bundles.push({
        name: fn.name,
        file,
        bytes: statSync(file).size,
        stripe,
        times: [] as number[],
      });
    }
    const mapped: { plain: number[]; maps: number[] } = { plain: [], maps: [] };
    for (let i = 0; i < runs; i += 1) {
      for (const bundle of bundles) bundle.times.push(importOnce(bundle.file, env, false));
      const baselineFile = bundles[0]?.file as string;
      mapped.plain.push(importOnce(baselineFile, env, false));
      mapped.maps.push(importOnce(baselineFile, env, true));
    }
    const base = bundles[0] as (typeof bundles)[number];
    const baseMs = median(base.times);
    const results: ColdStart[] = bundles.map((b) => ({
      name: b.name,
      bytes: b.bytes,
      importMs: median(b.times),
      bytesRatio: b.bytes / base.bytes,
      importRatio: median(b.times) / baseMs,
      stripe: b.stripe,
    }));
    return {
      runs,
      functions: results,
      sourceMapsCost: median(mapped.maps) / median(mapped.plain),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
