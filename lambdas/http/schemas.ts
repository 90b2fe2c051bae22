import { z } from 'zod';
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
