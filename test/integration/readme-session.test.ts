import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTwin } from '../support/twin.ts';

/**
 * README's curl tour, run as written: every ```sh session block, in order, in one bash with
 * `set -euo pipefail`, against a twin — the variables the tour reads (API, TOKEN, HOOK_PORT) set
 * as a reader would set them. A block that no longer works as printed fails here.
 */
const t = useTwin();

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```sh session\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      );
    });
  });

const bash = (script: string, env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], {
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    // A waiting loop that never ends is a failure too.
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

describe('README', () => {
  it('has a curl tour', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it('runs its curl tour as written, with the answers it describes', async () => {
    const { code, output } = await bash(blocks.join('\n'), {
      API: `${t.twin.url}`,
      TOKEN: t.twin.adminToken,
      HOOK_PORT: String(await freePort()),
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/idempotent-replayed: true/i);
    expect(output).toContain('"code":"idempotency_key_reused"');
    expect(output).toContain('"status":"active"');
    expect(output).toContain('"status":"delivered"');
    expect(output).toContain('"status":"fulfilled"');
    expect(output).toMatch(/"status":"succeeded"/);
    expect(output).toMatch(/}401\n/);
    expect(output).toContain('"status":"deleting"');
  }, 180_000);
});
