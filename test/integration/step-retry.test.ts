import { describe, expect, it } from 'vitest';
import { steps } from '../../lambdas/steps/registry.ts';
import { fixtureReceiver, stepFixtures } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

const t = useTwin();

/** Everything a step could have changed: items, mail, webhook posts, payments, schedules. */
const observable = async () => {
  const items = (await t.scan('platform')).sort((a, b) =>
    `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`),
  );
  const mail = (await t.api.get('/_dev/mail')).body;
  const webhookPosts = (await fixtureReceiver()).requests.length;
  const payments = (await t.api.get('/_dev/payments')).body;
  const schedules = (await t.api.get('/_dev/schedules')).body;
  return { items, mail, webhookPosts, payments, schedules };
};

describe('every registered step, retried with the same input', () => {
  it('has a fixture and a written guarantee for every step in the registry', () => {
    for (const step of steps) {
      expect(stepFixtures[step.name], step.name).toBeTypeOf('function');
      expect(step.why.length, step.name).toBeGreaterThan(20);
    }
  });

  it.each(steps.map((step) => [step.name, step.guarantee] as const))(
    '%s (%s) returns the same result and has no second effect',
    async (name) => {
      const input = await stepFixtures[name](t);
      const before = await observable();

      const first = await t.twin.functions.invoke(name, input);
      const afterFirst = await observable();
      const second = await t.twin.functions.invoke(name, input);
      const afterSecond = await observable();

      expect(afterFirst, 'the first run must have an effect, or the fixture is wrong').not.toEqual(
        before,
      );
      expect(second).toEqual(first);
      expect(afterSecond).toEqual(afterFirst);
    },
  );
});
