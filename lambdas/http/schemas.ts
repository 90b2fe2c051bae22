import { KEY_ID } from '#lib/domain/api-keys.ts';
import {
  DEFAULT_MAX_CATCHUP,
  MAX_CATCHUP,
  MISFIRE_POLICIES,
} from '#lib/domain/misfire-policies.ts';
import { PLANS } from '#lib/domain/project.ts';
import { TASK_TYPES } from '#lib/domain/task-types.ts';
import { PROJECT_ID } from '#lib/ids.ts';
import * as z from '#lib/zod.ts';

/**
 * Control characters (U+0000–U+001F, U+007F) and bidi overrides (U+202A–U+202E, U+2066–U+2069):
 * a CR/LF in a name could reach a mail header, an override makes a name read differently.
 */
const isUnsafeCode = (code: number): boolean =>
  code <= 0x1f ||
  code === 0x7f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

/**
 * An unpaired UTF-16 surrogate: JSON can carry one (`"\ud800"`), but it is no character, and
 * UTF-8 storage, mail and Stripe would each replace it with something else.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when the text has no control characters, bidi overrides or unpaired surrogates. */
export const isSafeText = (value: string): boolean => {
  for (let i = 0; i < value.length; i += 1) if (isUnsafeCode(value.charCodeAt(i))) return false;
  return !LONE_SURROGATE.test(value);
};

const UNSAFE_TEXT = 'must not contain control characters, bidi overrides or unpaired surrogates';

/**
 * A text field of 1–`max` characters without control characters, bidi overrides or unpaired
 * surrogates, kept exactly as sent: what is stored is what the client wrote, never a trimmed or
 * otherwise altered copy; text that is not acceptable as it is gets a 400.
 */
const text = (max: number) =>
  z.string().check(
    z.refine(isSafeText, UNSAFE_TEXT),
    z.minLength(1),
    z.maxLength(max),
    z.refine((value) => value.trim() !== '', 'must not be blank'),
  );

/** Path parameter `{projectId}`; a pattern rather than a refinement, so the document shows it. */
export const projectIdParam = z.string().check(z.regex(PROJECT_ID, 'is not a project id'));

/** Path parameters of `/projects/{projectId}…` routes. */
export const projectPath = z.object({ projectId: projectIdParam });

/** Body of `POST /v1/projects`. Unknown fields are refused rather than silently dropped. */
export const createProjectBody = z.strictObject({
  name: text(100),
  ownerEmail: z.email().check(z.maxLength(254), z.refine(isSafeText, UNSAFE_TEXT)),
  plan: z._default(z.enum(PLANS), 'free'),
});

/** Path parameters of `/projects/{projectId}/keys/{keyId}`. */
export const keyPath = z.object({
  projectId: projectIdParam,
  keyId: z.string().check(z.regex(KEY_ID, 'is not a key id')),
});

/** Body of `POST …/keys`. */
export const createKeyBody = z.strictObject({
  name: z.optional(text(100)),
});

/**
 * Query of paged lists: `limit` 1–100 (default 50), written in plain decimal digits (`0x10`, `1e1`
 * or ` 5` would coerce to numbers, but are not what a client means to send), and an opaque
 * `cursor`, which only the cursor check judges: anything that is not a cursor this API returned
 * for this list, empty or edited, is `invalid_cursor`.
 */
export const pageQuery = z.strictObject({
  limit: z._default(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^[0-9]{1,3}$/, 'is a whole number from 1 to 100')),
        z.transform(Number),
      ),
      z.int().check(z.minimum(1), z.maximum(100)),
    ),
    50,
  ),
  cursor: z.optional(z.string()),
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
  // `.` and `..` are path segments every URL parser removes: the event could never be read back.
  z.refine((id) => !/^\.+$/.test(id), 'must not be only dots'),
);

/** A list of event types, each named once: a repeat is refused rather than silently dropped. */
const eventTypeList = (max: number) =>
  z.array(eventName).check(
    z.minLength(1),
    z.maxLength(max),
    z.refine((types) => new Set(types).size === types.length, 'must not repeat a type'),
  );

/** Path parameters of `/projects/{projectId}/events/{eventId}`. */
export const eventPath = z.object({ projectId: projectIdParam, eventId: eventName });

/** Body of `PUT …/webhook`. */
export const putWebhookBody = z.strictObject({
  url: text(2048),
  eventTypes: z.optional(eventTypeList(100)),
  rotateSecret: z.optional(z.boolean()),
});

/**
 * Body of `POST …/events`: `data` is any JSON value, but must be there. It is not validated
 * further: the handler keeps the client's own JSON text of it (numbers beyond float range
 * included), and the body's depth limit already bounds its nesting.
 */
export const postEventBody = z.strictObject({
  id: z.optional(clientEventId),
  type: eventName,
  data: z.unknown().check(z.refine((value) => value !== undefined, 'is required')),
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
  customerId: text(255),
  paymentMethod: z.optional(text(255)),
});

/** Path parameters of `/projects/{projectId}/activities/{activityId}…`: the activity id is a UUID. */
export const activityPath = z.object({ projectId: projectIdParam, activityId: z.uuid() });

const taskSpec = z
  .strictObject({
    type: z.enum(TASK_TYPES),
    count: z.int().check(z.minimum(1), z.maximum(100)),
    url: z.optional(text(2048)),
  })
  .check(
    z.refine((task) => (task.type === 'http-ping') === (task.url !== undefined), {
      message: 'http-ping needs a url; other types take none',
    }),
  );

/** Body of `PUT …/activities/{activityId}` (docs/api.md, Activities). */
export const putActivityBody = z
  .strictObject({
    schedule: z.optional(text(256)),
    timezone: z._default(text(64), 'UTC'),
    misfirePolicy: z.enum(MISFIRE_POLICIES),
    dedupeKeyStrategy: z.enum(MISFIRE_POLICIES),
    maxCatchup: z._default(
      z.int().check(z.minimum(1), z.maximum(MAX_CATCHUP)),
      DEFAULT_MAX_CATCHUP,
    ),
    eventTypes: z.optional(eventTypeList(50)),
    tasks: z.array(taskSpec).check(z.minLength(1), z.maxLength(20)),
  })
  .check(
    z.refine((body) => body.schedule !== undefined || body.eventTypes !== undefined, {
      message: 'give a schedule, eventTypes, or both',
    }),
  );
