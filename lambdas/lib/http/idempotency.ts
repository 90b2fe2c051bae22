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

/** Runs calls through {@link runIdempotent} on one table; what an idempotent route is given. */
export type IdempotencyRunner = (call: IdempotentCall) => Promise<APIGatewayProxyResult>;

/** Binds {@link runIdempotent} to a table. */
export const idempotencyOn =
  (table: IdempotencyTable): IdempotencyRunner =>
  (call) =>
    runIdempotent(table, call);

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
 * The persistence layer and config are built per call: Powertools keeps the key prefix and
 * Lambda context on them, and the twin serves concurrent requests from one process.
 */
export const runIdempotent = async (
  table: IdempotencyTable,
  call: IdempotentCall,
): Promise<APIGatewayProxyResult> => {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: table.tableName,
    awsSdkV3Client: table.client,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'scope',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: call.ttlSeconds,
    responseHook: markReplayed,
  });
  config.registerLambdaContext(call.context);
  const once = makeIdempotent(
    async (_input: { scope: string; request: unknown }) => {
      const response = await call.execute();
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new UnstoredResponse(response);
      }
      return response;
    },
    { persistenceStore, config, keyPrefix: recordPrefix(call.projectId, call.operationKey) },
  );
  try {
    return await once({ scope: call.scope, request: call.fingerprint });
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
