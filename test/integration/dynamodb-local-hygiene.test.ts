import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { eventually } from '../support/api.ts';

/** Local addresses (hex, as /proc/net/tcp* shows them) of sockets listening on `port`. */
const listeners = (port: number): string[] =>
  ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        (cols) =>
          cols[3] === '0A' &&
          cols[1]?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`),
      )
      .map((cols) => (cols[1] as string).split(':')[0] as string),
  );

/** True while the process exists and is not a zombie waiting to be reaped. */
const alive = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
};

describe.runIf(process.platform === 'linux')('DynamoDB Local hygiene', () => {
  it('listens on loopback only', async () => {
    const dynamo = await startDynamoDbLocal();
    try {
      const addresses = listeners(Number(new URL(dynamo.endpoint).port));
      expect(addresses.length).toBeGreaterThan(0);
      // 127.0.0.1 is 0100007F in /proc/net/tcp; Java's dual-stack socket lists it in tcp6 as the
      // IPv4-mapped ::ffff:127.0.0.1. A wildcard bind would show all zeros in either file.
      const loopback = ['0100007F', '0000000000000000FFFF00000100007F'];
      expect(addresses.filter((a) => !loopback.includes(a))).toEqual([]);
    } finally {
      await dynamo.stop();
    }
  }, 120_000);

  it('dies with its parent, even when the parent is killed with SIGKILL', async () => {
    const parent = spawn('npx', ['tsx', 'test/support/dynamo-parent.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout?.on('data', (chunk) => {
      out += String(chunk);
    });
    const javaPid = await eventually(async () => {
      const match = /PID (\d+)/.exec(out);
      return match ? Number(match[1]) : undefined;
    }, 110_000);
    expect(alive(javaPid)).toBe(true);
    // npx → tsx → node: kill the node process that spawned java, not just the npx wrapper.
    const node = Number(readFileSync(`/proc/${javaPid}/stat`, 'utf8').split(' ')[3]);
    process.kill(node, 'SIGKILL');
    await eventually(async () => (alive(javaPid) ? undefined : true), 10_000);
    parent.kill('SIGKILL');
  }, 150_000);
});
