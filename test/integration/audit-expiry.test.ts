import { describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { lambdaContext } from '../../infra/local/lambda/lambda-context.ts';
import { runIdempotent } from '../../lambdas/lib/http/idempotency.ts';
import { eventually } from '../support/api.ts';
import { activeProject } from '../support/projects.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin({ ownDynamoDb: true });

describe('TTL is the only cleanup of idempotency records', () => {
  it('logs each TTL deletion in the project audit log, from the table stream', async () => {
    const projectId = await activeProject(t, 'Expiring');
    await runIdempotent(
      { tableName: t.twin.tables.idempotency, client: localDynamoClient(t.twin.dynamoEndpoint) },
      {
        operationKey: `create_key:${projectId}:short-lived`,
        projectId,
        ttlSeconds: 1,
        scope: 'admin',
        fingerprint: {},
        context: lambdaContext('ExpiryTest'),
        execute: async () => ({ statusCode: 201, body: '{}' }),
      },
    );

    const expired = await eventually(async () => {
      const audit = await t.api.get(`/projects/${projectId}/audit`);
      return (audit.body.entries as { action: string }[]).find(
        (e) => e.action === 'idempotency.record_expired',
      );
    }, 30_000);

    expect(expired).toMatchObject({
      actor: 'dynamodb',
      details: { operation: 'create_key', operationKey: `create_key:${projectId}:short-lived` },
    });
    expect(
      (await t.scan('idempotency')).filter((item) =>
        String(item.id).startsWith(`${projectId}/create_key`),
      ),
    ).toEqual([]);
  });

  it('does not log records that a request deleted (a failed operation is not an expiry)', async () => {
    const projectId = await activeProject(t, 'Failing');
    await runIdempotent(
      { tableName: t.twin.tables.idempotency, client: localDynamoClient(t.twin.dynamoEndpoint) },
      {
        operationKey: `create_key:${projectId}:fails`,
        projectId,
        ttlSeconds: 60,
        scope: 'admin',
        fingerprint: {},
        context: lambdaContext('ExpiryTest'),
        execute: async () => ({ statusCode: 400, body: '{}' }),
      },
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const audit = await t.api.get(`/projects/${projectId}/audit`);
    expect((audit.body.entries as { action: string }[]).map((e) => e.action)).not.toContain(
      'idempotency.record_expired',
    );
  });
});
