import { z } from 'zod';
import { TASK_TYPES } from '#lib/domain/task-types.ts';
import { isKeyId } from '#lib/domain/api-keys.ts';
import { DEFAULT_MAX_CATCHUP, MAX_CATCHUP, MISFIRE_POLICIES } from '#lib/domain/misfires.ts';
import { PLANS } from '#lib/domain/project.ts';
import { isProjectId } from '#lib/ids.ts';

/** Path parameter `{projectId}`. */
export const projectIdParam = z.string().refine(isProjectId, 'is not a project id');

/** Path parameters of `/projects/{projectId}…` routes. */
export const projectPath = z.object({ projectId: projectIdParam });

/** Body of `POST /v1/projects`. Unknown fields are refused rather than silently dropped. */
export const createProjectBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  ownerEmail: z.email().max(254),
  plan: z.enum(PLANS).default('free'),
});

/** Path parameters of `/projects/{projectId}/keys/{keyId}`. */
export const keyPath = z.object({
  projectId: projectIdParam,
  keyId: z.string().refine(isKeyId, 'is not a key id'),
});

/** Body of `POST …/keys`. */
export const createKeyBody = z.strictObject({ name: z.string().trim().min(1).max(100).optional() });

/** Query of paged lists: `limit` 1–100 (default 50) and an opaque `cursor`. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

/** Event types and client-chosen event ids: what EventBridge and execution names can carry. */
const eventName = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'use 1–128 of A–Z a–z 0–9 _ . : -');

/**
 * A client-chosen event id. It must not look like an ISO-8601 instant: event runs are named
 * `activity-{activityId}:{eventId}` and scheduled runs `activity-{activityId}:{instant}`.
 */
const clientEventId = eventName.refine(
  (id) => !/^\d{4}-\d{2}-\d{2}T/.test(id),
  'must not look like an ISO-8601 instant',
);

/** Path parameters of `/projects/{projectId}/events/{eventId}`. */
export const eventPath = z.object({ projectId: projectIdParam, eventId: eventName });

/** Body of `PUT …/webhook`. */
export const putWebhookBody = z.strictObject({
  url: z.string().min(1).max(2048),
  eventTypes: z.array(eventName).min(1).max(100).optional(),
  rotateSecret: z.boolean().optional(),
});

/** Body of `POST …/events`: `data` is any JSON value, but must be there. */
export const postEventBody = z.strictObject({
  id: clientEventId.optional(),
  type: eventName,
  data: z.json(),
});

/** Path parameters of `/projects/{projectId}/orders/{orderId}…`. */
export const orderPath = z.object({
  projectId: projectIdParam,
  orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1–64 of A–Z a–z 0–9 _ -'),
});

const CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));

/** Body of `POST …/orders/{orderId}/charge`: minor units, a lowercase ISO 4217 code. */
export const chargeBody = z.strictObject({
  amount: z.number().int().positive().max(99_999_999),
  currency: z
    .string()
    .refine((c) => /^[a-z]{3}$/.test(c) && CURRENCIES.has(c), 'is not a lowercase ISO 4217 code'),
  customerId: z.string().min(1).max(255),
  paymentMethod: z.string().min(1).max(255).optional(),
});

/** Path parameters of `/projects/{projectId}/activities/{activityId}…`: the activity id is a UUID. */
export const activityPath = z.object({ projectId: projectIdParam, activityId: z.uuid() });

const taskSpec = z
  .strictObject({
    type: z.enum(TASK_TYPES),
    count: z.number().int().min(1).max(100),
    url: z.string().min(1).max(2048).optional(),
  })
  .refine((task) => (task.type === 'http-ping') === (task.url !== undefined), {
    message: 'http-ping needs a url; other types take none',
  });

/** Body of `PUT …/activities/{activityId}` (DESIGN §6). */
export const putActivityBody = z
  .strictObject({
    schedule: z.string().min(1).max(256).optional(),
    timezone: z.string().min(1).max(64).default('UTC'),
    misfirePolicy: z.enum(MISFIRE_POLICIES),
    dedupeKeyStrategy: z.enum(MISFIRE_POLICIES),
    maxCatchup: z.number().int().min(1).max(MAX_CATCHUP).default(DEFAULT_MAX_CATCHUP),
    eventTypes: z.array(eventName).min(1).max(50).optional(),
    tasks: z.array(taskSpec).min(1).max(20),
  })
  .refine((body) => body.schedule !== undefined || body.eventTypes !== undefined, {
    message: 'give a schedule, eventTypes, or both',
  });
