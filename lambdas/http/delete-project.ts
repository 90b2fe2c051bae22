import { dynamoClient } from '#lib/adapters/dynamodb.ts';
import { SfnWorkflows } from '#lib/adapters/sfn-workflows.ts';
import { ENV, requireEnv } from '#lib/config.ts';
import { actorOf } from '#lib/domain/audit.ts';
import { type DeprovisionDeps, requestDeprovision } from '#lib/domain/deprovisioning.ts';
import { acceptedView } from '#lib/domain/project.ts';
import { type IdempotencyRunner, idempotencyOn } from '#lib/http/idempotency.ts';
import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { systemClock } from '#lib/wiring/clock.ts';
import { projectsFromEnv } from '#lib/wiring/projects.ts';
import { deleteProject } from './contracts.ts';

/**
 * A DELETE retried with its Idempotency-Key within an hour replays the first answer; any other
 * DELETE answers from the project's state. Neither starts a second execution.
 */
export const DEPROVISION_TTL_SECONDS = 3600;

/** `DELETE /v1/projects/{projectId}` (admin) → 202; starts `deprovision-{projectId}` once. */
export const makeHandler = (deps: DeprovisionDeps & { idempotency: IdempotencyRunner }) =>
  httpRoute(
    {
      ...deleteProject,
      idempotency: {
        ttlSeconds: DEPROVISION_TTL_SECONDS,
        operation: ({ params, idempotencyKey }) => ({
          key: `deprovision:${params.projectId}:${idempotencyKey}`,
          projectId: params.projectId,
        }),
      },
      handle: async ({ params, caller, correlationId }) => {
        const project = await requestDeprovision(deps, {
          projectId: params.projectId,
          actor: actorOf(caller),
          correlationId,
        });
        return json(202, acceptedView(project), { Location: `/v1/projects/${project.id}` });
      },
    },
    deps.idempotency,
  );

export const handler = makeHandler({
  projects: projectsFromEnv(),
  workflows: new SfnWorkflows(['deprovision-project']),
  now: systemClock,
  idempotency: idempotencyOn({
    tableName: requireEnv(ENV.idempotencyTable),
    client: dynamoClient(),
  }),
});
