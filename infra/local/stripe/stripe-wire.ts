import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * Stripe's wire format for the twin's fake (`stripe-fake.ts`): form-encoded parameters, the error
 * envelope, and the refusals that happen before a request executes.
 */
export type Form = { [name: string]: string | Form };

export type Answer = {
  readonly status: number;
  readonly body: unknown;
  readonly replayed?: boolean;
};

/** Refused before execution began, so (like Stripe) not saved under the idempotency key. */
export class Refusal extends Error {
  constructor(readonly answer: Answer) {
    super('refused');
  }
}

/** Stripe's error envelope. */
export const error = (status: number, body: Record<string, unknown>): Answer => ({
  status,
  body: { error: body },
});

export const invalid = (status: number, message: string, code?: string): Answer =>
  error(status, { type: 'invalid_request_error', message, ...(code ? { code } : {}) });

/** Throws a refusal that is not saved: a missing, unknown or invalid parameter or object. */
export function refuse(message: string, param: string, code: string, status = 400): never {
  throw new Refusal(error(status, { type: 'invalid_request_error', message, param, code }));
}

export const required = (form: Form, name: string): string => {
  const value = form[name];
  if (typeof value === 'string' && value !== '') return value;
  return refuse(`Missing required param: ${name}.`, name, 'parameter_missing');
};

/** Stripe refuses unknown parameters; so does the fake, which keeps it honest about the subset. */
export const allowOnly = (form: Form, names: readonly string[]): void => {
  const unknown = Object.keys(form).find((name) => !names.includes(name));
  if (unknown) refuse(`Received unknown parameter: ${unknown}`, unknown, 'parameter_unknown');
};

export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Decodes Stripe's form encoding: `metadata[orderId]=o1` → `{ metadata: { orderId: 'o1' } }`. */
export const parseForm = (body: string): Form => {
  const form: Form = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = name.replace(/\]/g, '').split('[');
    let node = form;
    for (const part of path.slice(0, -1)) {
      const child = typeof node[part] === 'object' ? node[part] : {};
      node[part] = child;
      node = child;
    }
    node[path.at(-1) ?? ''] = value;
  }
  return form;
};

/** Parameters independent of their order, to compare a retry with the original request. */
export const canonical = (value: string | Form): unknown =>
  typeof value === 'string'
    ? value
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, canonical(value[name] ?? '')]),
      );

/** Waits `ms`, or until the client hangs up (its own timeout fired), whichever comes first. */
export const held = (res: ServerResponse, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
