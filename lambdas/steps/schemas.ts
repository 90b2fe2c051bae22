import { z } from 'zod';
import { PLANS } from '#lib/domain/project.ts';
import { isProjectId } from '#lib/ids.ts';

/** `projectId` as every step receives it. */
export const projectId = z.string().refine(isProjectId, 'is not a project id');

/** Input of steps that need only the project. */
export const projectInput = z.object({ projectId });

export const plan = z.enum(PLANS);

/** Input of the webhook delivery steps. */
export const eventInput = z.object({ projectId, eventId: z.string().min(1).max(128) });
