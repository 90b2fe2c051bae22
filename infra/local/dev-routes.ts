import { sentMail } from '../../lambdas/lib/adapters/sink-mailer.ts';
import type { Faults } from './faults.ts';
import type { DevRoute } from './gateway.ts';
import type { StripeFake } from './stripe-fake.ts';

/** What the dev routes look into. */
export interface DevSubjects {
  readonly faults: Faults;
  readonly payments: StripeFake;
}

/** Twin-only endpoints under `/v1/_dev/` (DESIGN §7); admin token required, never deployed. */
export const devRoutes = ({ faults, payments }: DevSubjects): DevRoute[] => [
  {
    method: 'GET',
    path: '/mail',
    handle: () =>
      sentMail().map(({ to, subject, body, sentAt }) => ({ to, subject, body, sentAt })),
  },
  { method: 'GET', path: '/payments', handle: () => payments.snapshot() },
  { method: 'GET', path: '/faults', handle: () => faults.list() },
  {
    method: 'PUT',
    path: '/faults',
    handle: (body) => {
      faults.set(String((body as { faults?: unknown }).faults ?? ''));
      return faults.list();
    },
  },
  { method: 'DELETE', path: '/faults', handle: () => faults.set('') },
];
