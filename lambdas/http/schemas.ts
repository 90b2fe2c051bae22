import { z } from 'zod';
import { isKeyId } from '#lib/domain/api-keys.ts';
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
