import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { MailStatusStore } from '../ports/mail-status.ts';
import { auditPut } from './audit-items.ts';
import { transactionally } from './conditional.ts';
import { projectKey } from './keys.ts';

/**
 * Failed mails on their project (`welcomeEmail`) or order (`receiptEmail`) record in
 * PlatformTable, each with a `mail.failed` audit entry keyed by the mail, so it is logged once.
 */
export class DynamoMailStatus implements MailStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordFailed(failure: {
    projectId: string;
    orderId?: string;
    kind: 'welcome' | 'receipt';
    error: string;
    at: string;
  }): Promise<void> {
    const { projectId, orderId, kind, error, at } = failure;
    const key = orderId
      ? { pk: `PROJECT#${projectId}`, sk: `ORDER#${orderId}` }
      : projectKey(projectId);
    const field = kind === 'welcome' ? 'welcomeEmail' : 'receiptEmail';
    const mailId = `${kind}:${orderId ?? projectId}`;
    // A cancelled transaction here means the failure is recorded already (a retry): success.
    await transactionally(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: key,
                UpdateExpression: 'SET #field = :failure',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#field)',
                ExpressionAttributeNames: { '#field': field },
                ExpressionAttributeValues: { ':failure': { status: 'failed', error, at } },
              },
            },
            auditPut(this.tableName, {
              id: `mail_failed:${mailId}`,
              projectId,
              at,
              action: 'mail.failed',
              actor: 'workflow',
              details: { mail: kind, ...(orderId ? { orderId } : {}), error },
            }),
          ],
        }),
      ),
    );
  }
}
