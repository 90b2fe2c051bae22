import { projectView } from '#lib/domain/project.ts';
import { NotFound } from '#lib/errors.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import type { ProjectStore } from '#lib/ports/projects.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import { getProject } from './contracts.ts';

/** `GET /v1/projects/{projectId}` (admin or the project's key) → the project with its status. */
export const makeHandler = (deps: { projects: ProjectStore }) =>
  httpRoute({
    ...getProject,
    handle: async ({ params }) => {
      const project = await deps.projects.get(params.projectId);
      if (!project) throw new NotFound(`No project ${params.projectId}`);
      return json(200, projectView(project));
    },
  });

export const handler = makeHandler({ projects: projectsFromEnv() });
