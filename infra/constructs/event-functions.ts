import { Duration } from 'aws-cdk-lib';
import { EventBus, type EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type EventBusKey, type EventRule, eventBuses, eventRules } from '#lib/event-rules.ts';
import { type EventFunction, eventFunctions } from '../../lambdas/events/functions.ts';
import { deadLetterQueue } from './dead-letters.ts';
import { RetrysafeFunction, type SharedFunctionProps } from './function.ts';

/** The buses of `lambdas/lib/event-rules.ts`, by key; each construct id comes from the data. */
export const eventBusesIn = (scope: Construct): Map<EventBusKey, EventBus> =>
  new Map(
    Object.entries(eventBuses).map(([key, bus]) => [
      key as EventBusKey,
      new EventBus(scope, bus.id, {
        description: `retrysafe ${key} bus (lambdas/lib/event-rules.ts)`,
      }),
    ]),
  );

/** Names of the functions in `lambdas/events/functions.ts`. */
export type EventFunctionName = (typeof eventFunctions)[number]['name'];

/** Settings for the event functions and the bus rules that target them. */
export interface EventFunctionsProps {
  readonly functions: SharedFunctionProps;
  /** @default eventFunctions from lambdas/events/functions.ts */
  readonly entries?: readonly EventFunction[];
  /** @default eventRules from lambdas/lib/event-rules.ts */
  readonly rules?: readonly EventRule[];
}

/**
 * The functions AWS invokes asynchronously — a bus rule (EventRouter), every activity schedule
 * (ScheduleDispatcher) — one per entry in `lambdas/events/functions.ts`, and one rule per entry in
 * `eventRules`, on its bus, with exactly its pattern, targeting its function by name.
 *
 * Nothing is dropped silently: EventBridge retries a delivery the function did not accept for up
 * to a day, then parks the event in the rule's DLQ; Lambda retries an invocation that failed twice,
 * then sends it to the function's failure queue. The handlers dedupe (deterministic run ids), so
 * any of these is safe to redrive. A new function or rule is a data entry; nothing here changes.
 */
export class EventFunctions extends Construct {
  /** Event functions by name (functions.ts). */
  readonly functions: ReadonlyMap<string, RetrysafeFunction>;
  /** Per function: invocations that still failed after Lambda's asynchronous retries. */
  readonly failureQueues: ReadonlyMap<string, Queue>;
  /** Bus rules by name (event-rules.ts). */
  readonly rules: ReadonlyMap<string, Rule>;
  /** Per rule: events EventBridge could not deliver to the target function. */
  readonly ruleDeadLetterQueues: ReadonlyMap<string, Queue>;

  constructor(scope: Construct, id: string, props: EventFunctionsProps) {
    super(scope, id);
    const functions = new Map<string, RetrysafeFunction>();
    const failureQueues = new Map<string, Queue>();
    for (const entry of props.entries ?? eventFunctions) {
      const fn = new RetrysafeFunction(this, entry.name, {
        ...props.functions,
        entry: entry.entry,
        access: entry.access,
        description: 'Invoked asynchronously by EventBridge, as lambdas/events/functions.ts says',
        kind: 'event',
      });
      const failures = deadLetterQueue(
        this,
        `${entry.name}Failures`,
        `the on-failure destination of ${entry.name}'s asynchronous invocations`,
      );
      fn.configureAsyncInvoke({
        onFailure: new SqsDestination(failures),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
      functions.set(entry.name, fn);
      failureQueues.set(entry.name, failures);
    }
    this.functions = functions;
    this.failureQueues = failureQueues;

    const rules = new Map<string, Rule>();
    const ruleDeadLetterQueues = new Map<string, Queue>();
    for (const rule of props.rules ?? eventRules) {
      const bus = props.functions.targets.eventBuses.get(rule.bus);
      if (!bus) throw new Error(`Rule ${rule.name} is on bus ${rule.bus}, which is not built`);
      const target = functions.get(rule.target);
      if (!target) {
        throw new Error(
          `Rule ${rule.name} targets ${rule.target}, which is not a function in lambdas/events/functions.ts`,
        );
      }
      const deadLetters = deadLetterQueue(
        this,
        `${rule.name}DeadLetters`,
        `the target DLQ of rule ${rule.name}, holding events EventBridge could not deliver to ${rule.target}`,
      );
      const built = new Rule(this, rule.name, {
        eventBus: bus,
        description: rule.description,
        // Already EventBridge pattern syntax, which CDK passes through as is.
        eventPattern: rule.pattern as EventPattern,
        targets: [
          new LambdaFunction(target, {
            // EventBridge's own ceiling (24 h, 185 attempts), written down, as the schedules do.
            maxEventAge: Duration.hours(24),
            retryAttempts: 185,
            deadLetterQueue: deadLetters,
          }),
        ],
      });
      rules.set(rule.name, built);
      ruleDeadLetterQueues.set(rule.name, deadLetters);
    }
    this.rules = rules;
    this.ruleDeadLetterQueues = ruleDeadLetterQueues;
  }

  /** The event function with this name (typed, so a misspelt name fails to compile). */
  function(name: EventFunctionName): RetrysafeFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`No event function named ${name} in lambdas/events/functions.ts`);
    return fn;
  }
}
