import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { recordPrefix } from '../idempotency-record.ts';
import { logger, metrics } from '../observability.ts';
import { HttpError, ResponseAsError, withHeaders } from './response.ts';

/** One idempotent HTTP operation instance. */
export interface IdempotentCall {
  /** Operation key (docs/api.md), e.g. `provision:{projectId}`. */
  readonly operationKey: string;
  /** The project the operation concerns; with the key it names the record (see recordPrefix). */
  readonly projectId: string;
  readonly ttlSeconds: number;
  /** Caller scope; hashed into the record id so two callers never share a record. */
  readonly scope: string;
  /** Method, path and canonical body: a different fingerprint under the same key is a 422. */
  readonly fingerprint: unknown;
  readonly context: Context;
  readonly execute: () => Promise<APIGatewayProxyResult>;
}

/** Where idempotency records live. */
export interface IdempotencyTable {
  readonly tableName: string;
  readonly client: DynamoDBClient;
}

/** Runs calls through the idempotency layer on one table; what an idempotent route is given. */
export type IdempotencyRunner = (call: IdempotentCall) => Promise<APIGatewayProxyResult>;

/**
 * Binds the layer to a table with one persistence layer for the function instance, so
 * Powertools' local cache can answer a warm replay without calling DynamoDB.
 */
export const idempotencyOn = (table: IdempotencyTable): IdempotencyRunner => {
  const store = storeOn(table);
  return (call) => runOn(store, call);
};

/** Runs one call on a fresh persistence layer, as a new function instance would. */
export const runIdempotent = (
  table: IdempotencyTable,
  call: IdempotentCall,
): Promise<APIGatewayProxyResult> => runOn(storeOn(table), call);

const storeOn = (table: IdempotencyTable) =>
  new PerCallPrefixStore({ tableName: table.tableName, awsSdkV3Client: table.client });

/**
 * Completed records kept in memory per function instance (an LRU; Powertools drops the least
 * recently used beyond this many).
 */
export const LOCAL_CACHE_SIZE = 500;

/**
 * The persistence layer with the record prefix taken from each call's payload instead of from
 * the layer. Powertools keeps the prefix on the (shared) layer and resets it whenever an
 * operation starts, so two calls in flight on one layer — the twin serves concurrent requests
 * from one process — would write each other's keys. Reading it from the call's own payload
 * keeps one layer per instance (and its cache) safe; the record ids stay exactly as before.
 */
class PerCallPrefixStore extends DynamoDBPersistenceLayer {
  protected override getHashedIdempotencyKey(data: JSONValue): string {
    const key = super.getHashedIdempotencyKey(data);
    const prefix = (data as { prefix?: unknown }).prefix;
    if (typeof prefix !== 'string') throw new Error('Idempotent call without a record prefix');
    return `${prefix}${key.slice(key.lastIndexOf('#'))}`;
  }
}

/** Carries a non-2xx answer out of the idempotent function so Powertools does not store it. */
class UnstoredResponse extends Error {
  constructor(readonly response: APIGatewayProxyResult) {
    super(`Not stored: status ${response.statusCode}`);
    this.name = 'UnstoredResponse';
  }
}

/** Seconds a client should wait before retrying a key whose first request is still running. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/**
 * Runs an HTTP operation at most once per (operation key, caller) within its TTL, on Powertools
 * `makeIdempotent` + `DynamoDBPersistenceLayer`. A thin wrapper because the HTTP contract needs
 * what Powertools leaves to the caller: only 2xx answers are stored, replays carry
 * `Idempotent-Replayed: true`, and its errors become 409/422 problems.
 *
 * The local cache (`useLocalCache`) is safe here, as Powertools' own code shows
 * (BasePersistenceLayer): it caches only records that are not IN_PROGRESS — a completed record
 * after `saveSuccess` or one read back from the table —, and `getFromCache` drops a record once
 * `Date.now()` passes its `expiryTimestamp`, the same instant written to the table's TTL
 * attribute, so it never answers past the record's expiry. A cached record still goes through
 * payload validation (a different body under the key is a 422), and a failed call deletes both
 * the table's record and the cached one. A completed record never changes before it expires
 * (nothing but TTL removes records), so memory and table cannot disagree. The config is built
 * per call only to carry the call's Lambda context; the layer keeps the first config's TTL,
 * which is this function's one route's TTL.
 */
const runOn = async (
  store: DynamoDBPersistenceLayer,
  call: IdempotentCall,
): Promise<APIGatewayProxyResult> => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'scope',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: call.ttlSeconds,
    useLocalCache: true,
    maxLocalCacheSize: LOCAL_CACHE_SIZE,
    responseHook: markReplayed,
  });
  config.registerLambdaContext(call.context);
  const prefix = recordPrefix(call.projectId, call.operationKey);
  const once = makeIdempotent(
    async (_input: { scope: string; request: unknown; prefix: string }) => {
      const response = await call.execute();
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new UnstoredResponse(response);
      }
      return response;
    },
    { persistenceStore: store, config, keyPrefix: prefix },
  );
  try {
    return await once({ scope: call.scope, request: call.fingerprint, prefix });
  } catch (error) {
    throw translated(error);
  }
};

/** Powertools hands the stored response back as JSON; a replay gets `Idempotent-Replayed`. */
const markReplayed = (stored: JSONValue): JSONValue => {
  metrics.addMetric('IdempotentReplay', MetricUnit.Count, 1);
  return withHeaders(stored as unknown as APIGatewayProxyResult, {
    'Idempotent-Replayed': 'true',
  }) as unknown as JSONValue;
};

const translated = (error: unknown): unknown => {
  if (error instanceof UnstoredResponse) return new ResponseAsError(error.response);
  if (error instanceof IdempotencyValidationError) {
    metrics.addMetric('IdempotencyKeyReused', MetricUnit.Count, 1);
    return new HttpError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    );
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    metrics.addMetric('IdempotencyInProgress', MetricUnit.Count, 1);
    return new HttpError(
      'idempotency_request_in_progress',
      'The first request with this Idempotency-Key has not finished; retry shortly',
      { headers: { 'Retry-After': String(IN_PROGRESS_RETRY_AFTER_SECONDS) } },
    );
  }
  if (error instanceof IdempotencyPersistenceLayerError) {
    logger.error('Idempotency store unavailable', { error });
    return new HttpError('service_unavailable', 'Please retry shortly', {
      headers: { 'Retry-After': '1' },
    });
  }
  return error;
};
