import { afterEach, describe, expect, it } from 'vitest';
import { LocalGateway } from '../../../infra/local/apigateway/gateway.ts';
import { AWS_LIMITS } from '../../../infra/local/aws/aws-limits.ts';
import type { LocalFunctions } from '../../../infra/local/lambda/functions.ts';

/**
 * The twin's gateway gives up on a function as API Gateway does: 504 problem+json past the
 * integration timeout, while the function itself runs to its end. The Lambda service is a stand-in
 * here that answers GET /health when the test lets it; the timeout is shortened for the test only.
 */

let gateway: LocalGateway | undefined;
afterEach(() => gateway?.close());

/**
 * A gateway whose only function answers once `answered` settles (its module loads once `loaded`
 * does); records when it finished.
 */
const gatewayWith = async (
  answered: Promise<unknown>,
  timeoutMs: number,
  loaded: Promise<unknown> = Promise.resolve(),
) => {
  const finished: string[] = [];
  const functions = {
    load: () => loaded,
    invoke: async (name: string) => {
      await answered;
      finished.push(name);
      return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' };
    },
  } as unknown as LocalFunctions;
  gateway = new LocalGateway(functions, [], timeoutMs);
  const url = await gateway.listen(0, '127.0.0.1');
  return { url, finished };
};

describe('API Gateway integration timeout', () => {
  it('is 29 s unless a test says otherwise', () => {
    expect(AWS_LIMITS.gatewayIntegrationTimeoutMs).toBe(29_000);
  });

  it('answers 504 gateway_timeout past the timeout, and the function still runs to its end', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { url, finished } = await gatewayWith(released, 100);
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'gateway_timeout', status: 504 });
    expect(finished).toEqual([]);
    release();
    await expect.poll(() => finished, { timeout: 10_000 }).toEqual(['GetHealth']);
  });

  it("does not count the twin's import of the handler module against the timeout", async () => {
    const slowImport = new Promise((resolve) => setTimeout(resolve, 300));
    const { url } = await gatewayWith(Promise.resolve(), 100, slowImport);
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
  });

  it("passes the function's answer through when it comes in time", async () => {
    const { url } = await gatewayWith(Promise.resolve(), 60_000);
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
  });
});
