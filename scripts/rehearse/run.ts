import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template } from '../../infra/local/assembly/assembly.ts';
import type { AccessLog } from '../../infra/local/assembly/iam-proxy.ts';
import { rehearsalSource } from '../../infra/local/assembly/rehearsal.ts';
import { startTwin, type Twin, type TwinOptions } from '../../infra/local/twin.ts';
import { apiClient } from '../../test/support/api.ts';
import { runSteps, type StepResult, type TourStep } from './steps.ts';
import { tourSteps } from './tour.ts';

/** `cdk synth` into a fresh directory (the pinned CLI, no telemetry); returns the directory. */
export const synthesize = (
  directory = mkdtempSync(join(tmpdir(), 'retrysafe-assembly-')),
): string => {
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', directory], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (result.status !== 0) throw new Error(`cdk synth failed (exit ${result.status})`);
  return directory;
};

export interface RehearsalRun {
  readonly results: StepResult[];
  readonly access: AccessLog;
  readonly startMs: number;
  readonly tourMs: number;
  readonly counts: { functions: number; stateMachines: number };
  readonly logFile: string;
}

export interface RehearseOptions {
  readonly assembly: string;
  readonly template?: Template;
  /** Which steps to run (default: the whole tour); by name prefix. */
  readonly only?: (step: TourStep) => boolean;
  readonly print?: (line: string) => void;
  readonly lazy?: boolean;
  readonly twin?: TwinOptions;
  /**
   * Run from the rehearsal's own directory, as Lambda runs from its task root, so a handler that
   * reads a file by a relative path fails here as it would there. The working directory belongs
   * to the whole process (workers share it), so only the CLI, which owns its process, sets this.
   */
  readonly chdir?: boolean;
}

/**
 * Starts the twin from a synthesized assembly and drives the tour through its HTTP API. The last
 * step checks that IAM refused nothing, even a call whose failure a retry or a Catch absorbed.
 */
export const rehearse = async (options: RehearseOptions): Promise<RehearsalRun> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const directory = mkdtempSync(join(tmpdir(), 'retrysafe-rehearsal-'));
  const logFile = join(directory, 'functions.log');
  if (options.chdir) process.chdir(directory);
  const source = rehearsalSource({
    assembly: options.assembly,
    logFile,
    ...(options.template && { template: options.template }),
    ...(options.lazy && { lazy: true }),
  });
  const started = Date.now();
  let twin: Twin;
  try {
    twin = await startTwin({
      port: 0,
      logLevel: 'SILENT',
      schedulerTimers: false,
      ...options.twin,
      source,
    });
  } catch (error) {
    // A template the twin cannot run (an unresolvable reference, a bundle that does not load) is
    // a finding like any failed step. The half-started twin dies with this process.
    const message = (error as Error).message;
    print(`FAIL start the twin from the assembly\n     ${message}`);
    const results = [
      {
        name: 'start the twin from the assembly',
        ok: false,
        ms: Date.now() - started,
        error: message,
      },
    ];
    return {
      results,
      access: source.access,
      startMs: Date.now() - started,
      tourMs: 0,
      counts: source.counts,
      logFile,
    };
  }
  const startMs = Date.now() - started;
  const api = apiClient(twin.url, twin.adminToken);
  const tour = tourSteps(api);
  const steps = [
    ...tour.steps.filter(options.only ?? (() => true)),
    {
      name: 'IAM refused no AWS call of any function or state machine',
      run: async () => {
        await twin.executions.idle();
        const denials = source.access.denials;
        if (denials.length > 0)
          throw new Error(
            denials.map((d) => `${d.principal}: ${d.action} on ${d.resource}`).join('\n     '),
          );
      },
    },
  ];
  const tourStarted = Date.now();
  try {
    const results = await runSteps(steps, print);
    return {
      results,
      access: source.access,
      startMs,
      tourMs: Date.now() - tourStarted,
      counts: source.counts,
      logFile,
    };
  } finally {
    await tour.close();
    await twin.stop();
  }
};
