import { type Answer, canonical, error, type Form, invalid, Refusal } from './stripe-wire.ts';

/**
 * Stripe's v1 idempotency layer as the fake applies it: POSTs only, keys scoped by API key, at
 * most 255 characters; the same key with the same endpoint and parameters replays the first
 * answer (`Idempotent-Replayed`), with other parameters it is Stripe's `idempotency_error`.
 * Unlike Stripe, keys never expire (Stripe: 24 h) — a twin run is shorter than that.
 */
export class StripeIdempotency {
  private readonly saved = new Map<string, { fingerprint: string; answer: Answer }>();

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
      const saved = this.saved.get(scopedKey);
      if (saved?.fingerprint === fingerprint) return { ...saved.answer, replayed: true };
      if (saved) {
        const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
        return error(400, { type: 'idempotency_error', message });
      }
      const answer = execute();
      this.saved.set(scopedKey, { fingerprint, answer });
      return answer;
    } catch (refused) {
      if (refused instanceof Refusal) return refused.answer;
      throw refused;
    }
  }
}
