import { describe, expect, it } from 'vitest';
import { LocalFunctions } from '../../../infra/local/lambda/functions.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '../../../lambdas/lib/function-settings.ts';
import { steps } from '../../../lambdas/steps/registry.ts';
import { finished } from '../../support/slow-handler.ts';

const slow = [{ name: 'Slow', entry: 'test/support/slow-handler.ts' }];

describe("the twin's Lambda timeout", () => {
  it('takes each function timeout from the same table CDK configures it with', () => {
    const functions = new LocalFunctions();
    for (const step of steps) {
      expect(functions.timeoutSeconds(step.name)).toBe(FUNCTION_TIMEOUT_SECONDS.step);
    }
    expect(functions.timeoutSeconds('Authorizer')).toBe(FUNCTION_TIMEOUT_SECONDS.api);
    expect(functions.timeoutSeconds('EventRouter')).toBe(FUNCTION_TIMEOUT_SECONDS.event);
  });

  it('fails an invocation past its timeout with Sandbox.Timedout, while the handler runs on', async () => {
    // 10 s × 0.01 = 100 ms against a handler that takes a second.
    const functions = new LocalFunctions(slow, 0.01);
    const invoked = functions.invoke('Slow', { id: 'late' });
    await expect(invoked).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: expect.stringMatching(/Task timed out after 0\.10 seconds$/),
    });
    expect(finished).not.toContain('late');
    // The effect the handler was on its way to still lands, as it can in AWS.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(finished).toContain('late');
  });

  it('answers a handler that finishes in time', async () => {
    const functions = new LocalFunctions(slow, 1);
    await expect(functions.invoke('Slow', { id: 'on-time' })).resolves.toEqual({ ok: true });
  });
});
