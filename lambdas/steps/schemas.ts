import { z } from 'zod';
import { TASK_TYPES } from '#lib/domain/task-types.ts';
import { PLANS } from '#lib/domain/project.ts';
import { isProjectId } from '#lib/ids.ts';

/** `projectId` as every step receives it. */
export const projectId = z.string().refine(isProjectId, 'is not a project id');

/** Input of steps that need only the project. */
export const projectInput = z.object({ projectId });

export const plan = z.enum(PLANS);

/** Input of the webhook delivery steps. */
export const eventInput = z.object({ projectId, eventId: z.string().min(1).max(128) });

/** An order id: `[A-Za-z0-9_-]{1,64}` (the API refuses anything else). */
export const orderId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Input of order steps that need only the order. */
export const orderInput = z.object({ projectId, orderId });

/** Input of steps that call the provider: the key comes from the workflow (States.Format). */
export const keyedOrderInput = orderInput.extend({ idempotencyKey: z.string().min(1).max(255) });

/** The order's terms as the execution input carries them. */
export const orderTerms = z.object({
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[a-z]{3}$/),
  customerId: z.string().min(1),
  paymentMethod: z.string().min(1).nullable(),
});

/** A run's task instance as LogRun plans it and the Map hands it to RunTask. */
export const taskInstanceInput = z.object({
  id: z.string().min(1),
  type: z.enum(TASK_TYPES),
  index: z.number().int().min(0),
  url: z.string().optional(),
});

/** The run-activity execution input (and LogRun's). */
export const runInput = z.object({
  projectId,
  activityId: z.uuid(),
  runId: z.string().min(1),
  trigger: z.enum(['schedule', 'event']),
  scheduledFor: z.string().optional(),
  eventId: z.string().optional(),
  window: z.object({ from: z.string(), to: z.string() }).optional(),
  tasks: z.array(
    z.object({
      type: z.enum(TASK_TYPES),
      count: z.number().int().min(1),
      url: z.string().optional(),
    }),
  ),
});
