/** The tour's step runner and the checks its steps share. */
import { type Api, type ApiResponse, eventually } from '../../test/support/api.ts';

/** One step of the tour: what it drives, and what it checks (a thrown error fails it). */
export interface TourStep {
  readonly name: string;
  readonly run: () => Promise<void>;
}

export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

/** How long a saga or a delivery may take before its step fails. */
export const WAIT_MS = 60_000;

export const expectStatus = (response: ApiResponse, status: number, what: string): void => {
  if (response.status !== status)
    throw new Error(
      `${what}: expected ${status}, got ${response.status} ${response.text.slice(0, 300)}`,
    );
};

export const check = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message);
};

/** Outcomes that end a saga, so a wait for another one can stop early. */
const FINAL = new Set(['active', 'failed', 'deleted', 'fulfilled', 'declined', 'refunded']);

/**
 * Polls a GET until `accept` holds for its body; fails with the last body seen, at once when the
 * body shows a final status that is not the one awaited.
 */
export const until = async (
  api: Api,
  path: string,
  accept: (body: ApiResponse['body']) => boolean,
  what: string,
) => {
  let last = '';
  let settled = false;
  try {
    return await eventually(async () => {
      const response = await api.get(path);
      last = `${response.status} ${response.text.slice(0, 300)}`;
      if (response.status === 200 && accept(response.body)) return response.body;
      settled = FINAL.has(response.body?.status);
      if (settled) throw new Error(last);
      return undefined;
    }, WAIT_MS);
  } catch {
    throw new Error(
      `${what}: ${settled ? 'ended otherwise' : `not within ${WAIT_MS / 1000} s`}; last answer ${last}`,
    );
  }
};

/** Runs steps in order, printing one line each. */
export const runSteps = async (
  steps: readonly TourStep[],
  print: (line: string) => void,
): Promise<StepResult[]> => {
  const results: StepResult[] = [];
  for (const step of steps) {
    const started = Date.now();
    try {
      await step.run();
      results.push({ name: step.name, ok: true, ms: Date.now() - started });
      print(`ok   ${step.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = (error as Error).message;
      results.push({ name: step.name, ok: false, ms: Date.now() - started, error: message });
      print(`FAIL ${step.name} (${Date.now() - started} ms)\n     ${message}`);
    }
  }
  return results;
};
