import { PLANS } from '#lib/domain/project.ts';
import { TASK_TYPES } from '#lib/domain/task-types.ts';
import { isProjectId } from '#lib/ids.ts';
import * as z from '#lib/zod.ts';

/** `projectId` as every step receives it. */
export const projectId = z.string().check(z.refine(isProjectId, 'is not a project id'));

/** Input of steps that need only the project. */
export const projectInput = z.object({ projectId });

export const plan = z.enum(PLANS);

/** Input of the webhook delivery steps. */
export const eventInput = z.object({
  projectId,
  eventId: z.string().check(z.minLength(1), z.maxLength(128)),
});

/** An order id: `[A-Za-z0-9_-]{1,64}` (the API refuses anything else). */
export const orderId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));

/** Input of order steps that need only the order. */
export const orderInput = z.object({ projectId, orderId });

/** Input of steps that call the provider: the key comes from the workflow (States.Format). */
export const keyedOrderInput = z.extend(orderInput, {
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(255)),
});

/** The order's terms as the execution input carries them. */
export const orderTerms = z.object({
  amount: z.int().check(z.positive()),
  currency: z.string().check(z.regex(/^[a-z]{3}$/)),
  customerId: z.string().check(z.minLength(1)),
  paymentMethod: z.nullable(z.string().check(z.minLength(1))),
});

/** An activity's tasks as the run-activity execution input carries them. */
export const taskSpecs = z.array(
  z.object({
    type: z.enum(TASK_TYPES),
    count: z.int().check(z.minimum(1)),
    url: z.optional(z.string()),
  }),
);

/** Where one task instance sits in the run, as LogRun plans it and the Map hands it to RunTask. */
export const taskSlot = z.object({
  task: z.int().check(z.minimum(0)),
  index: z.int().check(z.minimum(0)),
});

/** The run-activity execution input (and LogRun's). */
export const runInput = z.object({
  projectId,
  activityId: z.uuid(),
  runId: z.string().check(z.minLength(1)),
  trigger: z.enum(['schedule', 'event']),
  scheduledFor: z.optional(z.string()),
  eventId: z.optional(z.string()),
  window: z.optional(z.object({ from: z.string(), to: z.string() })),
  tasks: taskSpecs,
});
