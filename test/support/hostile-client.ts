import { expect } from 'vitest';
import type { FuzzRequest } from './fuzz/types.ts';
import { send } from './fuzz/wire.ts';
import { exchange, type RawAnswer, requestBytes } from './raw-http.ts';
import { comparable, type Rows, scanBoth } from './table-snapshot.ts';
import type { TestTwin } from './twin.ts';

/**
 * Requests sent as a hostile client sends them, and the checks every refusal must pass: a
 * problem+json 4xx with its code, both tables as they were, and the twin still serving.
 */
export const hostileClient = (t: TestTwin) => {
  /** Expects both tables to hold what they held in `before` (clock-driven expiry aside). */
  const expectUnchanged = async (before: Rows) => {
    const after = await scanBoth(t);
    const asOf = Date.now();
    expect(comparable(after, asOf)).toBe(comparable(before, asOf));
  };

  /** A request with the admin token (or `token`), a JSON body when given, extra raw headers. */
  const raw = (
    method: string,
    path: string,
    options: { body?: string; headers?: [string, string][]; token?: string } = {},
  ): Promise<RawAnswer> => {
    const request: FuzzRequest = {
      route: 'raw',
      method,
      path: `/v1${path}`,
      headers: [
        ['Authorization', `Bearer ${options.token ?? t.twin.adminToken}`],
        ...(options.body !== undefined
          ? [['Content-Type', 'application/json'] as [string, string]]
          : []),
        ...(options.headers ?? []),
      ],
      ...(options.body !== undefined ? { body: options.body } : {}),
    };
    return send(new URL(t.twin.url), request);
  };

  /** A request as bytes for {@link exchange}: request line, headers, body (Host and length added). */
  const bytesOf = (line: string, headers: string[], body?: Buffer): Buffer =>
    requestBytes(new URL(t.twin.url), line, headers, body);

  /** Sends, expects a problem+json refusal with `code`, and that neither table changed. */
  const expectRefused = async (request: () => Promise<RawAnswer>, status: number, code: string) => {
    const before = await scanBoth(t);
    const response = await request();
    expect(response.status, response.text).toBe(status);
    expect(response.contentType).toBe('application/problem+json');
    expect(JSON.parse(response.text)).toMatchObject({ status, code, title: expect.any(String) });
    expect((await t.api.get('/health')).status).toBe(200);
    await expectUnchanged(before);
  };

  return {
    raw,
    bytesOf,
    /** Sends bytes as given to the twin and reads its answer. */
    exchange: (bytes: Buffer) => exchange(new URL(t.twin.url), bytes),
    expectRefused,
    expectUnchanged,
  };
};

/** JSON text nested `depth` levels deep (arrays). */
export const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
