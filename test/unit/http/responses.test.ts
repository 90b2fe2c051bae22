import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ActivityRun, activityView, TaskInstance } from '#lib/domain/activities.ts';
import type { ApiKey, keyView } from '#lib/domain/api-keys.ts';
import type { AuditEntry } from '#lib/domain/audit.ts';
import type { revokeApiKey } from '#lib/domain/key-management.ts';
import type { orderView } from '#lib/domain/orders.ts';
import type { acceptedView, projectView } from '#lib/domain/project.ts';
import type { eventView, ProjectEvent } from '#lib/domain/project-events.ts';
import type { endpointView } from '#lib/domain/webhook-endpoint.ts';
import type * as z from '#lib/zod.ts';
import { contracts } from '../../../lambdas/http/contracts.ts';
import type * as body from '../../../lambdas/http/responses.ts';

/** A type without `readonly` anywhere: views return readonly arrays, schemas plain ones. */
type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Plain<T[K]> }
    : T;

/** True when A and B are the same type (the usual conditional-type identity check). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * True when what a handler returns and what its response schema describes are the same type, so
 * a field added, dropped or retyped on one side only fails `tsc` (checked by the type checker; at
 * run time these assertions do nothing).
 */
type Same<Returned, Schema extends z.ZodMiniType> = [
  Equal<Plain<Returned>, Plain<z.input<Schema>>>,
  Equal<Plain<Returned>, Plain<z.output<Schema>>>,
];

type Run = Omit<ActivityRun, 'projectId' | 'activityId'> & {
  tasks: Pick<TaskInstance, 'id' | 'type' | 'index' | 'status'>[];
};

/** Each 2xx body as the handler builds it, next to the schema the document shows for it. */
type Checks = {
  health: Same<{ status: 'ok' }, typeof body.healthBody>;
  acceptedProject: Same<ReturnType<typeof acceptedView>, typeof body.acceptedProjectBody>;
  project: Same<ReturnType<typeof projectView>, typeof body.projectBody>;
  createdKey: Same<
    Pick<ApiKey, 'id' | 'projectId' | 'name' | 'createdAt'> & { secret: string },
    typeof body.createdKeyBody
  >;
  keyList: Same<{ keys: ReturnType<typeof keyView>[] }, typeof body.keyListBody>;
  revokedKey: Same<Awaited<ReturnType<typeof revokeApiKey>>, typeof body.revokedKeyBody>;
  auditPage: Same<{ entries: AuditEntry[]; nextCursor?: string }, typeof body.auditPageBody>;
  webhook: Same<ReturnType<typeof endpointView>, typeof body.webhookBody>;
  acceptedEvent: Same<Pick<ProjectEvent, 'id' | 'type'>, typeof body.acceptedEventBody>;
  event: Same<ReturnType<typeof eventView>, typeof body.eventBody>;
  order: Same<ReturnType<typeof orderView>, typeof body.orderBody>;
  activity: Same<ReturnType<typeof activityView>, typeof body.activityBody>;
  runList: Same<{ runs: Run[] }, typeof body.runListBody>;
};

describe('response schemas', () => {
  it('describe exactly what the handlers return', () => {
    expectTypeOf<Checks>().toEqualTypeOf<{ [K in keyof Checks]: [true, true] }>();
  });

  it('give every route one 2xx answer', () => {
    for (const contract of contracts) {
      expect(contract.success.status, contract.route.name).toBeGreaterThanOrEqual(200);
      expect(contract.success.status, contract.route.name).toBeLessThan(300);
    }
  });
});
