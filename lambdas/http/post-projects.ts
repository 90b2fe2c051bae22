import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { SfnWorkflows } from '#lib/adapters/sfn-workflows.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { acceptedView } from '#lib/domain/project.ts';
import { type ProvisionDeps, provisionProject } from '#lib/domain/provisioning.ts';
import { scopeOf } from '#lib/http/caller.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { projectIdFor } from '#lib/ids.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import { postProjects } from './contracts.ts';

/** `provision:{projectId}` is kept for one hour (docs/api.md lists every operation's TTL). */
export const PROVISION_TTL_SECONDS = 3600;

/**
 * `POST /v1/projects` (admin) → 202 with the project and `Location`. The project id is derived
 * from (caller, Idempotency-Key), so a retry — even after the TTL — names the same project.
 */
export const makeHandler = (deps: ProvisionDeps & { idempotency: IdempotencyRunner }) =>
  httpRoute(
    {
      ...postProjects,
      idempotency: {
        ttlSeconds: PROVISION_TTL_SECONDS,
        operation: (r) => {
          const projectId = projectIdFor(scopeOf(r.caller), r.idempotencyKey);
          return { key: `provision:${projectId}`, projectId };
        },
      },
      handle: async (r) => {
        const projectId = projectIdFor(scopeOf(r.caller), r.idempotencyKey);
        const project = await provisionProject(deps, {
          projectId,
          ...r.body,
          correlationId: r.correlationId,
        });
        return json(202, acceptedView(project), { Location: `/v1/projects/${project.id}` });
      },
    },
    deps.idempotency,
  );

export const handler = makeHandler({
  projects: projectsFromEnv(),
  workflows: new SfnWorkflows(['provision-project']),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
