import type { Access } from '#lib/access.ts';

/** A function AWS services invoke (a bus rule, a schedule), neither API Gateway nor a saga. */
export interface EventFunction {
  readonly name: string;
  readonly entry: string;
  readonly access: Access;
}

/** The function every activity schedule targets: CDK and the twin both point schedules at it. */
export const SCHEDULE_TARGET = 'ScheduleDispatcher';

/**
 * The event-driven functions. CDK builds them and wires their sources (the events bus rule in
 * `lambdas/lib/event-rules.ts`, every activity schedule); the twin's bus and scheduler invoke them.
 */
export const eventFunctions = [
  {
    name: 'EventRouter',
    entry: 'lambdas/events/route-event.ts',
    access: { platform: 'read', startExecution: ['run-activity'] },
  },
  {
    name: SCHEDULE_TARGET,
    entry: 'lambdas/events/dispatch-schedule.ts',
    access: { platform: 'write', startExecution: ['run-activity'] },
  },
] as const satisfies readonly EventFunction[];
