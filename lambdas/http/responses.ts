import { KEY_ID } from '#lib/domain/api-keys.ts';
import { AUDIT_ACTIONS } from '#lib/domain/audit.ts';
import { MISFIRE_POLICIES } from '#lib/domain/misfire-policies.ts';
import { ORDER_STATUSES } from '#lib/domain/orders.ts';
import { PLANS, PROJECT_STATUSES } from '#lib/domain/project.ts';
import { DELIVERY_STATUSES } from '#lib/domain/project-events.ts';
import { TASK_TYPES } from '#lib/domain/task-types.ts';
import { PROJECT_ID } from '#lib/ids.ts';
import * as z from '#lib/zod.ts';

/*
 * The bodies of the API's 2xx answers, as zod schemas. Nothing parses a response with them: they
 * describe what the handlers return, for the OpenAPI document. Two checks keep them honest:
 * test/unit/http/responses.test.ts holds each schema's type against the view a handler returns
 * (tsc fails on a field added, dropped or retyped on one side only), and
 * test/integration/openapi.test.ts validates real answers of the twin against the document.
 * Objects are strict: a field missing here is a field the document does not promise.
 */

/** Every instant the API returns: UTC, `Z`, with or without fractional seconds. */
const timestamp = z.iso.datetime();

const projectId = z.string().check(z.regex(PROJECT_ID));
const keyId = z.string().check(z.regex(KEY_ID));

/** Why a saga gave up, as Step Functions reported it. */
const failure = z.strictObject({ error: z.string(), cause: z.optional(z.string()) });

/** A mail given up on after its retries. */
const mailFailure = z.strictObject({
  status: z.literal('failed'),
  error: z.string(),
  at: timestamp,
});

/** `GET /health`. */
export const healthBody = z.strictObject({ status: z.literal('ok') });

/** `202 POST /projects` and `202 DELETE /projects/{projectId}`: fixed fields, so a replay is identical. */
export const acceptedProjectBody = z.strictObject({
  id: projectId,
  name: z.string(),
  ownerEmail: z.string(),
  plan: z.enum(PLANS),
  status: z.enum(PROJECT_STATUSES),
  createdAt: timestamp,
});

/** `GET /projects/{projectId}`. */
export const projectBody = z.extend(acceptedProjectBody, {
  schemaVersion: z.int(),
  updatedAt: timestamp,
  failure: z.optional(failure),
  welcomeEmail: z.optional(mailFailure),
});

/** `201 POST …/keys`: the only answer that carries the secret. */
export const createdKeyBody = z.strictObject({
  id: keyId,
  projectId,
  name: z.nullable(z.string()),
  secret: z.string(),
  createdAt: timestamp,
});

const keyView = z.strictObject({
  id: keyId,
  projectId,
  name: z.nullable(z.string()),
  createdAt: timestamp,
  revokedAt: z.nullable(timestamp),
});

/** `GET …/keys`: oldest first, never a secret. */
export const keyListBody = z.strictObject({ keys: z.array(keyView) });

/** `DELETE …/keys/{keyId}`: the same `revokedAt` on every repeat. */
export const revokedKeyBody = z.strictObject({ id: keyId, revokedAt: timestamp });

const auditEntry = z.strictObject({
  id: z.string(),
  projectId,
  at: timestamp,
  action: z.enum(AUDIT_ACTIONS),
  actor: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
});

/** `GET …/audit`: newest first; `nextCursor` while there is more. */
export const auditPageBody = z.strictObject({
  entries: z.array(auditEntry),
  nextCursor: z.optional(z.string()),
});

/** `PUT …/webhook`: `secret` on the first PUT and on `rotateSecret: true` only. */
export const webhookBody = z.strictObject({
  url: z.string(),
  eventTypes: z.nullable(z.array(z.string())),
  secretVersion: z.int(),
  createdAt: timestamp,
  updatedAt: timestamp,
  secret: z.optional(z.string()),
});

/** `202 POST …/events`. */
export const acceptedEventBody = z.strictObject({ id: z.string(), type: z.string() });

/** `GET …/events/{eventId}`. */
export const eventBody = z.strictObject({
  id: z.string(),
  type: z.string(),
  receivedAt: timestamp,
  delivery: z.strictObject({
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int(),
    lastStatusCode: z.optional(z.int()),
    deliveredAt: z.optional(timestamp),
  }),
});

/** `202 POST …/orders/{orderId}/charge` and `GET …/orders/{orderId}`. */
export const orderBody = z.strictObject({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  amount: z.int(),
  currency: z.string(),
  chargeId: z.optional(z.string()),
  refundId: z.optional(z.string()),
  failure: z.optional(failure),
  receiptEmail: z.optional(mailFailure),
});

/** `PUT …/activities/{activityId}`. */
export const activityBody = z.strictObject({
  activityId: z.string(),
  projectId,
  schedule: z.nullable(z.string()),
  timezone: z.string(),
  misfirePolicy: z.enum(MISFIRE_POLICIES),
  dedupeKeyStrategy: z.enum(MISFIRE_POLICIES),
  maxCatchup: z.int(),
  eventTypes: z.nullable(z.array(z.string())),
  tasks: z.array(
    z.strictObject({
      type: z.enum(TASK_TYPES),
      count: z.int(),
      url: z.optional(z.string()),
    }),
  ),
  version: z.int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const runStatus = z.enum(['running', 'succeeded', 'failed']);

/** `GET …/activities/{activityId}/runs`: newest first, each with its task instances. */
export const runListBody = z.strictObject({
  runs: z.array(
    z.strictObject({
      runId: z.string(),
      trigger: z.enum(['schedule', 'event']),
      scheduledFor: z.optional(timestamp),
      eventId: z.optional(z.string()),
      window: z.optional(z.strictObject({ from: timestamp, to: timestamp })),
      status: runStatus,
      startedAt: timestamp,
      finishedAt: z.optional(timestamp),
      reason: z.optional(z.string()),
      tasks: z.array(
        z.strictObject({
          id: z.string(),
          type: z.enum(TASK_TYPES),
          index: z.int(),
          status: runStatus,
        }),
      ),
    }),
  ),
});

/** `GET /openapi.json`: an OpenAPI 3.1 document (its own schema is the OpenAPI specification's). */
export const openApiBody = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** The names the OpenAPI document lists these under (`components.schemas`). */
export const namedSchemas = {
  Timestamp: timestamp,
  Failure: failure,
  MailFailure: mailFailure,
  Health: healthBody,
  AcceptedProject: acceptedProjectBody,
  Project: projectBody,
  CreatedKey: createdKeyBody,
  ApiKey: keyView,
  KeyList: keyListBody,
  RevokedKey: revokedKeyBody,
  AuditEntry: auditEntry,
  AuditPage: auditPageBody,
  Webhook: webhookBody,
  AcceptedEvent: acceptedEventBody,
  Event: eventBody,
  Order: orderBody,
  Activity: activityBody,
  RunList: runListBody,
  OpenApiDocument: openApiBody,
};
