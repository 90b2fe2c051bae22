import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  idempotencyTable,
  type KeyAttribute,
  platformTable,
  type TableDefinition,
} from '#infra/tables.ts';

/**
 * Both DynamoDB tables, built from the plain definitions in `infra/tables.ts` (the twin creates the
 * same tables in DynamoDB Local from the same data). On-demand, point-in-time recovery, TTL on, and
 * encrypted with one customer-managed key so that key use shows up in CloudTrail and can be revoked.
 */
export class DataTables extends Construct {
  /** The one key both tables are encrypted with; functions get kms grants on it via DynamoDB only. */
  readonly key: Key;
  /** Projects, tenants, keys, runs: see the key design in infra/tables.ts. */
  readonly platform: Table;
  /** Powertools idempotency records; its KEYS_ONLY stream feeds the audit consumer. */
  readonly idempotency: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'TableKey', {
      description: 'Encrypts the retrysafe DynamoDB tables and the idempotency stream',
      enableKeyRotation: true,
      // Data outlives a stack deletion; so must the key that decrypts it (and its backups).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.platform = this.table(platformTable);
    this.idempotency = this.table(idempotencyTable);
  }

  private table(definition: TableDefinition): Table {
    const table = new Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey && { sortKey: attribute(definition.sortKey) }),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      ...(definition.stream && { stream: StreamViewType[definition.stream] }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
      });
    }
    return table;
  }
}

const attribute = ({ name, type }: KeyAttribute) => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});
