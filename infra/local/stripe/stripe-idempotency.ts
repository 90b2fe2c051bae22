import { type Answer, canonical, error, type Form, invalid, Refusal } from './stripe-wire.ts';

/**
 * Stripe's v1 idempotency layer as the fake applies it: POSTs only, keys scoped by API key, at
 * most 255 characters; the same key with the same endpoint and parameters replays the first
 * answer (`Idempotent-Replayed`), with other parameters it is Stripe's `idempotency_error`.
 * A key is forgotten 24 h after its first use (Stripe: "keys may be removed … after they are at
 * least 24 hours old"), after which the same key executes the request again.
 */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export class StripeIdempotency {
  private readonly saved = new Map<string, { fingerprint: string; answer: Answer; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  run(
    endpoint: string,
    form: Form,
    apiKey: string,
    key: string | null,
    execute: () => Answer,
  ): Answer {
    try {
      if (!endpoint.startsWith('POST') || key === null) return execute();
      if (key.length > 255) return invalid(400, 'Idempotency keys are at most 255 characters');
      const scopedKey = `${apiKey} ${key}`;
      const fingerprint = `${endpoint} ${JSON.stringify(canonical(form))}`;
      const kept = this.saved.get(scopedKey);
      const saved = kept && this.now() - kept.at < KEY_LIFETIME_MS ? kept : undefined;
      if (saved?.fingerprint === fingerprint) return { ...saved.answer, replayed: true };
      if (saved) {
        const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
        return error(400, { type: 'idempotency_error', message });
      }
      const answer = execute();
      this.saved.set(scopedKey, { fingerprint, answer, at: this.now() });
      return answer;
    } catch (refused) {
      if (refused instanceof Refusal) return refused.answer;
      throw refused;
    }
  }
}
