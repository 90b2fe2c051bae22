import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../../infra/local/lambda/functions.ts';

/** Runs `npm start`'s entry point the way npm does, minus npm, so signals reach it directly. */
export const startMain = (
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return { child, output: () => output };
};
