import { isKeyId } from '#lib/domain/api-keys.ts';
import { DEFAULT_MAX_CATCHUP, MAX_CATCHUP, MISFIRE_POLICIES } from '#lib/domain/misfires.ts';
import { PLANS } from '#lib/domain/project.ts';
import { TASK_TYPES } from '#lib/domain/task-types.ts';
import { isProjectId } from '#lib/ids.ts';
import * as z from '#lib/zod.ts';

/** Path parameter `{projectId}`. */
export const projectIdParam = z.string().check(z.refine(isProjectId, 'is not a project id'));

/** Path parameters of `/projects/{projectId}…` routes. */
export const projectPath = z.object({ projectId: projectIdParam });

/** Body of `POST /v1/projects`. Unknown fields are refused rather than silently dropped. */
export const createProjectBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  ownerEmail: z.email().check(z.maxLength(254)),
  plan: z._default(z.enum(PLANS), 'free'),
});

/** Path parameters of `/projects/{projectId}/keys/{keyId}`. */
export const keyPath = z.object({
  projectId: projectIdParam,
  keyId: z.string().check(z.refine(isKeyId, 'is not a key id')),
});

/** Body of `POST …/keys`. */
export const createKeyBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
});

/** Query of paged lists: `limit` 1–100 (default 50) and an opaque `cursor`. */
export const pageQuery = z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

/** Event types and client-chosen event ids: what EventBridge and execution names can carry. */
const eventName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'use 1–128 of A–Z a–z 0–9 _ . : -'));

/**
 * A client-chosen event id. It must not look like an ISO-8601 instant: event runs are named
 * `activity-{activityId}:{eventId}` and scheduled runs `activity-{activityId}:{instant}`.
 */
const clientEventId = eventName.check(
  z.refine((id) => !/^\d{4}-\d{2}-\d{2}T/.test(id), 'must not look like an ISO-8601 instant'),
);

/** Path parameters of `/projects/{projectId}/events/{eventId}`. */
export const eventPath = z.object({ projectId: projectIdParam, eventId: eventName });

/** Body of `PUT …/webhook`. */
export const putWebhookBody = z.strictObject({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  eventTypes: z.optional(z.array(eventName).check(z.minLength(1), z.maxLength(100))),
  rotateSecret: z.optional(z.boolean()),
});

/** Body of `POST …/events`: `data` is any JSON value, but must be there. */
export const postEventBody = z.strictObject({
  id: z.optional(clientEventId),
  type: eventName,
  data: z.json(),
});

/** Path parameters of `/projects/{projectId}/orders/{orderId}…`. */
export const orderPath = z.object({
  projectId: projectIdParam,
  orderId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1–64 of A–Z a–z 0–9 _ -')),
});

const CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));

/** Body of `POST …/orders/{orderId}/charge`: minor units, a lowercase ISO 4217 code. */
export const chargeBody = z.strictObject({
  amount: z.int().check(z.positive(), z.maximum(99_999_999)),
  currency: z
    .string()
    .check(
      z.refine(
        (c) => /^[a-z]{3}$/.test(c) && CURRENCIES.has(c),
        'is not a lowercase ISO 4217 code',
      ),
    ),
  customerId: z.string().check(z.minLength(1), z.maxLength(255)),
  paymentMethod: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
});

/** Path parameters of `/projects/{projectId}/activities/{activityId}…`: the activity id is a UUID. */
export const activityPath = z.object({ projectId: projectIdParam, activityId: z.uuid() });

const taskSpec = z
  .strictObject({
    type: z.enum(TASK_TYPES),
    count: z.int().check(z.minimum(1), z.maximum(100)),
    url: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  })
  .check(
    z.refine((task) => (task.type === 'http-ping') === (task.url !== undefined), {
      message: 'http-ping needs a url; other types take none',
    }),
  );

/** Body of `PUT …/activities/{activityId}` (docs/api.md, Activities). */
export const putActivityBody = z
  .strictObject({
    schedule: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    timezone: z._default(z.string().check(z.minLength(1), z.maxLength(64)), 'UTC'),
    misfirePolicy: z.enum(MISFIRE_POLICIES),
    dedupeKeyStrategy: z.enum(MISFIRE_POLICIES),
    maxCatchup: z._default(
      z.int().check(z.minimum(1), z.maximum(MAX_CATCHUP)),
      DEFAULT_MAX_CATCHUP,
    ),
    eventTypes: z.optional(z.array(eventName).check(z.minLength(1), z.maxLength(50))),
    tasks: z.array(taskSpec).check(z.minLength(1), z.maxLength(20)),
  })
  .check(
    z.refine((body) => body.schedule !== undefined || body.eventTypes !== undefined, {
      message: 'give a schedule, eventTypes, or both',
    }),
  );
