import type { Template } from 'aws-cdk-lib/assertions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import type { RetrysafeStack } from '#infra/stack.ts';
import type { Access } from '#lib/access.ts';
import { type EventBusKey, eventBuses } from '#lib/event-rules.ts';
import { type StreamConsumer, streamConsumers } from '../../lambdas/events/consumers.ts';
import { eventFunctions } from '../../lambdas/events/functions.ts';
import { authorizer, routes } from '../../lambdas/http/routes.ts';
import { steps } from '../../lambdas/steps/registry.ts';
import { logicalIdOf } from './synth.ts';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** How AWS invokes a function besides its Access: a stream mapping, or asynchronously. */
export type Source = StreamConsumer | 'async';

export type Declared = [name: string, access: Access, fn: () => LambdaFunction, source?: Source];

/**
 * Reads a synthesized stack's IAM policies as `action on resource` lines, with every resource
 * the stack's functions may touch named after its construct (`PlatformTable`, `SecretsKey`, …).
 */
export const grantReader = (stack: RetrysafeStack, template: Template) => {
  const id = (construct: IConstruct) => logicalIdOf(stack, construct);
  const names = new Map<string, string>([
    [id(stack.data.platform), 'PlatformTable'],
    [id(stack.data.idempotency), 'IdempotencyTable'],
    [id(stack.data.key), 'TableKey'],
    [id(stack.adminToken), 'AdminToken'],
    [id(stack.secretsKey), 'SecretsKey'],
    [id(stack.stripeSecret), 'StripeSecretKey'],
    [id(stack.schedules.role), 'SchedulerRole'],
    [id(stack.schedules.deadLetterQueue), 'Schedules DLQ'],
    ...[...stack.eventBuses].map(([k, bus]) => [id(bus), eventBuses[k].id] as const),
    ...[...stack.workflows.stateMachines].map(([n, m]) => [id(m), n] as const),
    ...[...stack.workflows.stepFunctions].map(([n, f]) => [id(f), n] as const),
    ...[...stack.events.functions].map(([n, f]) => [id(f), n] as const),
    ...[...stack.events.failureQueues].map(([n, q]) => [id(q), `${n} failures`] as const),
    ...[...stack.events.ruleDeadLetterQueues].map(([n, q]) => [id(q), `${n} DLQ`] as const),
    ...[...stack.streamConsumers.deadLetterQueues].map(([n, q]) => [id(q), `${n} DLQ`] as const),
  ]);
  const scheduleGroup = stack.schedules.group.scheduleGroupName;

  const nameOf = (resource: unknown, ownLogs: string): string => {
    if (resource === '*') return '*';
    const text = JSON.stringify(resource);
    if (text.includes(':ses:')) return `SES identity/${text.match(/identity\/([^"]+)/)?.[1]}`;
    if (text.includes(`:schedule/${scheduleGroup}/*"`)) return 'ScheduleGroup schedules';
    if (ownLogs && text.includes(`"${ownLogs}"`)) return 'OwnLogs';
    for (const [logicalId, name] of names) {
      if (!text.includes(`"${logicalId}"`)) continue;
      if (text.includes('/index/')) return `${name}/index/${text.match(/\/index\/([^"]+)/)?.[1]}`;
      if (text.includes('"StreamArn"')) return `${name} stream`;
      if (text.includes('"Name"')) return `${name} executions`;
      return name;
    }
    return `unexpected ${text}`;
  };

  /** Logical id → statements of every policy attached to a role, wherever it was defined. */
  const policiesOf = (role: IConstruct | undefined): Map<string, Statement[]> => {
    if (!role) throw new Error('No role');
    const ref = JSON.stringify({ Ref: id(role) });
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, p]) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === ref),
    );
    return new Map(
      policies.map(([policyId, p]) => [
        policyId,
        (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      ]),
    );
  };
  const statementsOf = (role: IConstruct | undefined) => [...policiesOf(role).values()].flat();

  /** Every `action on resource` any policy of a role allows, with resources named. */
  const grantsOf = (role: IConstruct | undefined, ownLogs = '') =>
    statementsOf(role)
      .flatMap((s) => {
        expect(s.Effect).toBe('Allow');
        return list(s.Action).flatMap((action) =>
          list(s.Resource).map((r) => `${action} on ${nameOf(r, ownLogs)}`),
        );
      })
      .sort();
  const grantsOfFunction = (fn: LambdaFunction) => grantsOf(fn.role, id(fn.logGroup));

  /** Who holds a role a policy is attached to: a function, a state machine or the scheduler. */
  const holdersOf = (roles: unknown[]): string[] => {
    const holders: [string, IConstruct | undefined][] = [
      ...declaredIn(() => stack).map(([name, , fn]): [string, IConstruct | undefined] => [
        name,
        fn().role,
      ]),
      ...[...stack.workflows.stateMachines].map(([n, m]): [string, IConstruct] => [n, m.role]),
      ['SchedulerRole', stack.schedules.role],
    ];
    return roles.map((role) => {
      const holder = holders.find(
        ([, r]) => r && JSON.stringify({ Ref: id(r) }) === JSON.stringify(role),
      );
      return holder?.[0] ?? `role ${JSON.stringify(role)}`;
    });
  };

  /** `holder: action` for every statement in the template that names `construct`. */
  const whoMay = (construct: IConstruct): string[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) =>
        (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
          JSON.stringify(s.Resource).includes(`"${id(construct)}"`),
        ).flatMap((s) =>
          holdersOf(policy.Properties.Roles as unknown[]).flatMap((holder) =>
            list(s.Action).map((a) => `${holder}: ${a}`),
          ),
        ),
      )
      .sort();

  return { names, policiesOf, statementsOf, grantsOf, grantsOfFunction, whoMay };
};

/**
 * Every function in the stack — routes, authorizer, steps, event functions, stream consumers —
 * with the Access it was declared with. Listed from the data modules alone (so `it.each` can use
 * it before any synth); each function is looked up in the stack lazily.
 */
export const declaredIn = (stackOf: () => RetrysafeStack): Declared[] => [
  [authorizer.name, authorizer.access, () => found(stackOf().api.functions, authorizer.name)],
  ...routes.map((r): Declared => [r.name, r.access, () => found(stackOf().api.functions, r.name)]),
  ...steps.map(
    (s): Declared => [s.name, s.access, () => found(stackOf().workflows.stepFunctions, s.name)],
  ),
  ...eventFunctions.map(
    (e): Declared => [e.name, e.access, () => found(stackOf().events.functions, e.name), 'async'],
  ),
  ...streamConsumers.map(
    (c): Declared => [
      c.name,
      c.access,
      () => found(stackOf().streamConsumers.functions, c.name),
      c,
    ],
  ),
];

export const found = <T>(map: ReadonlyMap<string, T>, name: string): T => {
  const value = map.get(name);
  if (!value) throw new Error(`No function ${name}`);
  return value;
};

/** The bus construct id of an event-rules.ts bus key (`events` → `EventsBus`). */
export const busName = (key: EventBusKey): string => eventBuses[key].id;
