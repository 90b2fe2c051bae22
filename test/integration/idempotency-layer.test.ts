import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { lambdaContext } from '../../infra/local/lambda/lambda-context.ts';
import {
  type IdempotencyRunner,
  idempotencyOn,
  runIdempotent,
} from '../../lambdas/lib/http/idempotency.ts';
import { HttpError, ResponseAsError } from '../../lambdas/lib/http/response.ts';
import { DynamoCounter } from '../bench/dynamo-counter.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

const ok = (body: unknown): APIGatewayProxyResult => ({
  statusCode: 201,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * Runs one call through the layer against the twin's IdempotencyTable, counting executions: on a
 * fresh persistence layer per call (a new function instance), or on the given `runner`.
 */
const layer = () => {
  let executions = 0;
  const call = (options: {
    operationKey: string;
    scope?: string;
    fingerprint?: unknown;
    ttlSeconds?: number;
    execute?: () => Promise<APIGatewayProxyResult>;
    runner?: IdempotencyRunner;
  }) =>
    (
      options.runner ??
      ((idempotent) =>
        runIdempotent(
          {
            tableName: t.twin.tables.idempotency,
            client: localDynamoClient(t.twin.dynamoEndpoint),
          },
          idempotent,
        ))
    )({
      operationKey: options.operationKey,
      projectId: 'prj_layer',
      ttlSeconds: options.ttlSeconds ?? 60,
      scope: options.scope ?? 'admin',
      fingerprint: options.fingerprint ?? { body: 'same' },
      context: lambdaContext('LayerTest'),
      execute:
        options.execute ??
        (async () => {
          executions += 1;
          return ok({ execution: executions, scope: options.scope });
        }),
    });
  return { call, executions: () => executions };
};

describe('HTTP idempotency layer (Powertools makeIdempotent + DynamoDB)', () => {
  it('never shares a result between two callers using the same key', async () => {
    const { call, executions } = layer();
    const a = await call({ operationKey: 'op:shared', scope: 'project:a' });
    const b = await call({ operationKey: 'op:shared', scope: 'project:b' });
    const aAgain = await call({ operationKey: 'op:shared', scope: 'project:a' });

    expect(executions()).toBe(2);
    expect(JSON.parse(a.body).scope).toBe('project:a');
    expect(JSON.parse(b.body).scope).toBe('project:b');
    expect(aAgain.body).toBe(a.body);
    expect(aAgain.headers?.['Idempotent-Replayed']).toBe('true');
  });

  it('stores only 2xx answers, so a corrected retry with the same key runs again', async () => {
    const { call } = layer();
    const refused = call({
      operationKey: 'op:retry',
      execute: async () => ({ statusCode: 409, body: '{"code":"conflict"}' }),
    });
    await expect(refused).rejects.toBeInstanceOf(ResponseAsError);

    const accepted = await call({
      operationKey: 'op:retry',
      execute: async () => ok({ fixed: true }),
    });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.headers?.['Idempotent-Replayed']).toBeUndefined();
  });

  it('does not store a use-case error either', async () => {
    const { call, executions } = layer();
    await expect(
      call({ operationKey: 'op:throws', execute: async () => Promise.reject(new Error('boom')) }),
    ).rejects.toThrow('boom');
    await call({ operationKey: 'op:throws' });
    expect(executions()).toBe(1);
  });

  it('answers 422 for the same key with a different fingerprint and keeps the original', async () => {
    const { call } = layer();
    const original = await call({ operationKey: 'op:fingerprint', fingerprint: { body: 'one' } });
    const reused = call({ operationKey: 'op:fingerprint', fingerprint: { body: 'two' } });
    await expect(reused).rejects.toMatchObject({
      problem: { code: 'idempotency_key_reused', status: 422 },
    });
    expect(
      (await call({ operationKey: 'op:fingerprint', fingerprint: { body: 'one' } })).body,
    ).toBe(original.body);
  });

  it('treats fingerprints with reordered keys as the same request', async () => {
    const { call, executions } = layer();
    await call({ operationKey: 'op:canonical', fingerprint: { body: { a: 1, b: 2 } } });
    const again = await call({
      operationKey: 'op:canonical',
      fingerprint: { body: { b: 2, a: 1 } },
    });
    expect(executions()).toBe(1);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
  });

  it('answers 409 with Retry-After while the first request with the key is still running', async () => {
    const { call } = layer();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = call({
      operationKey: 'op:slow',
      execute: async () => gate.then(() => ok({ slow: true })),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const second = await call({ operationKey: 'op:slow' }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(HttpError);
    expect((second as HttpError).problem.code).toBe('idempotency_request_in_progress');
    expect((second as HttpError).headers['Retry-After']).toBe('1');
    release();
    expect((await first).statusCode).toBe(201);
  });

  it('keys the record by operation and caller and lets DynamoDB TTL expire it after the operation TTL', async () => {
    const { call } = layer();
    const before = Math.floor(Date.now() / 1000);
    await call({ operationKey: 'op:ttl-record', ttlSeconds: 300 });
    const after = Math.ceil(Date.now() / 1000);

    const record = (await t.scan('idempotency')).find((item) =>
      String(item.id).startsWith('prj_layer/op:ttl-record#'),
    );
    expect(record?.status).toBe('COMPLETED');
    expect(Number(record?.expiration)).toBeGreaterThanOrEqual(before + 300);
    expect(Number(record?.expiration)).toBeLessThanOrEqual(after + 300);
  });

  it('runs the operation again once its TTL has passed', async () => {
    const { call, executions } = layer();
    await call({ operationKey: 'op:short', ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const after = await call({ operationKey: 'op:short', ttlSeconds: 1 });

    expect(executions()).toBe(2);
    expect(after.headers?.['Idempotent-Replayed']).toBeUndefined();
  });

  it('answers a warm replay from the instance cache with 0 DynamoDB calls, a cold one with 1, and neither past the TTL', async () => {
    const client = localDynamoClient(t.twin.dynamoEndpoint);
    const counter = new DynamoCounter();
    counter.attach(client);
    const table = { tableName: t.twin.tables.idempotency, client };
    const { call, executions } = layer();
    const instance = idempotencyOn(table);
    const counted = (label: string, run: () => Promise<APIGatewayProxyResult>) =>
      counter.run(label, run).then((response) => ({ response, calls: counter.take(label) }));

    const first = await counted('first', () => call({ operationKey: 'op:warm', runner: instance }));
    const warm = await counted('warm', () => call({ operationKey: 'op:warm', runner: instance }));
    const cold = await counted('cold', () =>
      call({ operationKey: 'op:warm', runner: idempotencyOn(table) }),
    );

    expect(first.calls.commands).toBe('PutItem×1 UpdateItem×1');
    expect(warm.calls.total).toBe(0);
    expect(warm.response.body).toBe(first.response.body);
    expect(warm.response.headers?.['Idempotent-Replayed']).toBe('true');
    expect(cold.calls.commands).toBe('PutItem×1');
    expect(cold.response.body).toBe(first.response.body);
    expect(executions()).toBe(1);

    // A different body under the key is refused from the cache as it is from the table.
    const reused = await call({
      operationKey: 'op:warm',
      fingerprint: { body: 'other' },
      runner: instance,
    }).catch((error: unknown) => error);
    expect((reused as HttpError).problem.code).toBe('idempotency_key_reused');
    expect(counter.take('background').total).toBe(0);

    // The cache forgets a record at its expiry: past the TTL the same instance runs it again.
    // (An instance keeps its first TTL — one route per function —, hence one of its own.)
    const shortLived = idempotencyOn(table);
    const expiring = { operationKey: 'op:warm-expiring', ttlSeconds: 1, runner: shortLived };
    await call(expiring);
    expect(counter.take('background').total).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await counted('expired', () => call(expiring));
    expect(expired.calls.total).toBeGreaterThan(0);
    expect(expired.response.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(executions()).toBe(3);
    client.destroy();
  });
});
