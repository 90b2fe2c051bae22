import * as z from '#lib/zod.ts';
import { sentMail } from '../../../lambdas/lib/adapters/sink-mailer.ts';
import { scheduleNameOf } from '../../../lambdas/lib/domain/activities.ts';
import type { DevRoute } from '../apigateway/gateway.ts';
import { LOCAL_SCHEDULE_GROUP } from '../aws/constants.ts';
import type { LocalScheduler } from '../scheduler/scheduler.ts';
import type { StripeFake } from '../stripe/stripe-fake.ts';
import type { Faults } from './faults.ts';

/** What the dev routes look into. */
export interface DevSubjects {
  readonly faults: Faults;
  readonly payments: StripeFake;
  readonly scheduler: LocalScheduler;
  /** The group activity schedules live in (default the twin's; a rehearsal uses the template's). */
  readonly scheduleGroup?: string;
}

const fireRequest = z.strictObject({
  projectId: z.string().check(z.minLength(1)),
  activityId: z.string().check(z.minLength(1)),
  scheduledFor: z.string().check(z.minLength(1)),
});

const faultsRequest = z.strictObject({ faults: z.string() });

/** Twin-only endpoints under `/v1/_dev/` (docs/twin.md); admin token required, never deployed. */
export const devRoutes = ({
  faults,
  payments,
  scheduler,
  scheduleGroup = LOCAL_SCHEDULE_GROUP,
}: DevSubjects): DevRoute[] => [
  {
    method: 'GET',
    path: '/mail',
    handle: () =>
      sentMail().map(({ to, subject, body, sentAt }) => ({ to, subject, body, sentAt })),
  },
  { method: 'GET', path: '/payments', handle: () => payments.snapshot() },
  { method: 'GET', path: '/schedules', handle: () => scheduler.list() },
  // Each armed fault with `remaining` (null: unlimited) and `fired`, how often it was injected.
  { method: 'GET', path: '/faults', handle: () => faults.list() },
  {
    method: 'PUT',
    path: '/faults',
    // A bad entry (unknown Task state, target or mode) throws: 400 naming it, nothing armed.
    handle: (body) => {
      faults.set(faultsRequest.parse(body).faults);
      return faults.list();
    },
  },
  { method: 'DELETE', path: '/faults', handle: () => faults.set('') },
  {
    method: 'POST',
    path: '/scheduler/fire',
    // Delivers one fire of the activity's schedule now, as Scheduler would (late or twice: fine).
    handle: async (body) => {
      const fire = fireRequest.parse(body);
      const name = scheduleNameOf(fire.projectId, fire.activityId);
      return { result: await scheduler.fire(scheduleGroup, name, fire.scheduledFor) };
    },
  },
];
