import { ENV } from '#lib/config.ts';

/**
 * The two DynamoDB tables, defined once as plain data. `infra/constructs/tables.ts` builds them in
 * CDK and `infra/local/dynamodb/dynamodb-local.ts` creates them in DynamoDB Local, so both see the same keys.
 *
 * IdempotencyTable — Powertools idempotency records.
 *   id          `{projectId}/{operationKey}#{hash(caller scope)}`, e.g. `prj_…/provision:prj_…#…`
 *               (operation keys: docs/api.md; lambdas/lib/idempotency-record.ts)
 *   expiration  epoch seconds; DynamoDB TTL deletes the record — the only cleanup there is
 *   stream      KEYS_ONLY: the audit consumer needs to know which record expired, never its data
 *               (a create-key replay record holds a secret for five minutes).
 *
 * PlatformTable — single-table design, every item has `pk` and `sk`:
 *   PROJECT#{projectId}  PROJECT              the project (API-visible: name, owner, plan, status, schemaVersion)
 *   PROJECT#{projectId}  ONCE#{dedupeKey}     dedupe record of a side effect done once (`ONCE#welcome:{id}`)
 *   PROJECT#{projectId}  WEBHOOK              the webhook endpoint (signing secret sealed with KMS)
 *   PROJECT#{projectId}  EVENT#{eventId}      a posted event and its delivery state
 *   APIKEY#{keyId}       APIKEY               an API key (SHA-256 of the secret); GSI1 `PROJECT#{id}#APIKEYS`
 *   AUDIT#{projectId}    {entry id}           an audit entry, one per operation; GSI1 sorts by `{at}#{id}`
 *   TENANT#{projectId}   TENANT               the tenant record (data-plane registration; soft-deleted)
 *   TENANT#{projectId}   STORAGE              marker: tenant storage exists
 *   TENANT#{projectId}   MIGRATION#{nnnn}     a migration applied to the tenant's storage, once
 *   TENANT#{projectId}   DATA#{name}          items the migrations create inside tenant storage
 *   gsi1pk / gsi1sk                           alternate-id lookups (GSI1), sparse
 *   expiresAt                                 optional epoch seconds; TTL for items that age out
 *   kind                                      what the item is (`project`, `tenant`, `apikey`, `audit`, …)
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TableDefinition {
  /** CDK logical id, and the suffix of the local table name. */
  readonly id: string;
  /** Environment variable that carries the table name to functions. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly timeToLiveAttribute: string;
  readonly stream?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  readonly globalSecondaryIndexes?: readonly {
    readonly indexName: string;
    readonly partitionKey: KeyAttribute;
    readonly sortKey?: KeyAttribute;
  }[];
}

export const idempotencyTable = {
  id: 'IdempotencyTable',
  envVar: ENV.idempotencyTable,
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiration',
  stream: 'KEYS_ONLY',
} as const satisfies TableDefinition;

export const platformTable = {
  id: 'PlatformTable',
  envVar: ENV.platformTable,
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
  ],
} as const satisfies TableDefinition;

export const tables: readonly TableDefinition[] = [idempotencyTable, platformTable];
