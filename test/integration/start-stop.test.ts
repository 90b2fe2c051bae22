import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startMain } from '../support/main-process.ts';

const waitFor = async (
  read: () => string,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<RegExpExecArray> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`No ${pattern} in output:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** True when a DynamoDB Local java process listening on this port exists. */
const javaOnPort = (port: string): boolean =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port}`));

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints the URL, the token and a curl example, serves the API, and leaves no java process after %s',
    async (signal) => {
      const { child, output } = startMain({ PORT: '0', ADMIN_TOKEN: 'start-stop-token' });
      const [, url] = await waitFor(output, /API\s+(http:\/\/127\.0\.0\.1:\d+\/v1)/);
      const [, dynamoPort] = await waitFor(output, /DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/);
      expect(output()).toContain('admin token  start-stop-token');
      expect(output()).toContain(`curl -s -X POST ${url}/projects`);

      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(javaOnPort(dynamoPort as string)).toBe(true);

      child.kill(signal);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(javaOnPort(dynamoPort as string)).toBe(false);
    },
  );

  it('says in one line that Java is needed when it is missing', async () => {
    const { child, output } = startMain({ PATH: '/nonexistent' });
    const [code] = await once(child, 'exit');

    expect(code).toBe(1);
    expect(output()).toMatch(/DynamoDB Local needs Java 17 or newer on PATH: install a JRE/);
  });
});
