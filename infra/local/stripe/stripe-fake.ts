import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, readBody, serve } from '../apigateway/http-server.ts';
import { StripeIdempotency } from './stripe-idempotency.ts';
import {
  type Answer,
  allowOnly,
  error,
  type Form,
  held,
  invalid,
  newId,
  parseForm,
  refuse,
  required,
} from './stripe-wire.ts';

/** The twin's fault injector as the fake sees it (`Faults` from faults.ts fits). */
export interface FaultSource {
  take(
    target: string,
    mode: 'fail' | 'lose-response' | 'timeout',
    subjects?: readonly string[],
  ): boolean;
}

export interface StripeFakeOptions {
  /**
   * Consulted on every `POST /v1/payment_intents` (target `provider.charge`) and `POST /v1/refunds`
   * (target `provider.refund`).
   */
  readonly faults?: FaultSource;
  /**
   * How long a `timeout` fault holds the response (ms); must exceed the client's timeout. The hold
   * also ends when the client hangs up, so a long one costs nothing. Default 30 s.
   */
  readonly holdMs?: number;
  /** The fake's clock (ms); idempotency keys expire 24 h after first use, as Stripe's may. */
  readonly now?: () => number;
}

/** What the fake holds, for tests, benchmarks and the twin's `GET /v1/_dev/payments`. */
export interface PaymentsSnapshot {
  readonly paymentIntents: Stored[];
  readonly refunds: Stored[];
  /** API requests received, replays and faulted ones included. */
  readonly calls: number;
}

/** A Stripe object plus the idempotency key of the request that created it. */
export type Stored = Record<string, unknown> & { idempotencyKey: string | null };
type Run = (form: Form, key: string | null, id: string) => Answer;

/** Stripe's test payment methods the fake knows, with the decline code each one produces. */
const PAYMENT_METHODS: Record<string, { declineCode?: string }> = {
  pm_card_visa: {},
  pm_card_chargeDeclined: { declineCode: 'generic_decline' },
};
const INTENT_PARAMS = [
  ...['amount', 'currency', 'customer', 'payment_method', 'confirm', 'off_session'],
  ...['automatic_payment_methods', 'metadata'],
];

/**
 * Every customer exists in the fake, with `pm_card_visa` as its default payment method (what a
 * charge without `paymentMethod` uses).
 */
const customer = (id: string): Answer => ({
  status: 200,
  body: { id, object: 'customer', invoice_settings: { default_payment_method: 'pm_card_visa' } },
});

/**
 * A local Stripe-compatible server for the subset the adapter uses — `POST /v1/payment_intents`
 * (confirm=true), `GET /v1/payment_intents/:id`, `POST /v1/refunds`, `GET /v1/customers/:id` — with Stripe's v1
 * idempotency: per API key, the first response under a key is saved (402 declines included) and
 * replayed with `Idempotent-Replayed: true` for 24 h; the key with other parameters is a 400
 * `idempotency_error`. Faults on `provider.charge` and `provider.refund`: `fail` answers 500 before
 * anything happens; `lose-response` does the work, then drops the connection; `timeout` does it,
 * then holds the response past the client's timeout.
 */
export class StripeFake {
  private readonly intents = new Map<string, Stored>();
  private readonly refunds: Stored[] = [];
  private offsetMs = 0;
  private readonly clock = () => (this.options.now ?? Date.now)() + this.offsetMs;
  private readonly idempotency = new StripeIdempotency(this.clock);
  private readonly routes: [string, RegExp, Run, string?][] = [
    ['POST', /^\/v1\/payment_intents$/, (f, k) => this.createIntent(f, k), 'provider.charge'],
    ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (_, __, id) => this.retrieveIntent(id)],
    ['POST', /^\/v1\/refunds$/, (f, k) => this.createRefund(f, k), 'provider.refund'],
    ['GET', /^\/v1\/customers\/([^/]+)$/, (_, __, id) => customer(id)],
  ];
  private calls = 0;
  private server: LocalServer | undefined;

  constructor(private readonly options: StripeFakeOptions = {}) {}

  /** Starts listening; resolves to the origin for the SDK's host/port (`STRIPE_API_BASE`). */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    // A client that hangs up mid-request only loses its own connection.
    const handle = (req: IncomingMessage, res: ServerResponse) =>
      this.serve(req, res).catch(() => {
        res.destroy();
      });
    this.server = await serve(handle, port, host);
    return `http://${host}:${this.server.port}`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Moves the fake's clock forward, e.g. past the 24 h after which Stripe may forget a key. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  snapshot(): PaymentsSnapshot {
    const paymentIntents = [...this.intents.values()];
    return structuredClone({ paymentIntents, refunds: this.refunds, calls: this.calls });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls += 1;
    const form = parseForm((await readBody(req)) ?? '');
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' && header !== '' ? header : null;
    const subjects = this.subjectsOf(form);
    const { answer, target } = this.answer(req, form, key, subjects);
    const faulty = (mode: 'lose-response' | 'timeout') =>
      target !== undefined && this.options.faults?.take(target, mode, subjects) === true;
    if (faulty('lose-response')) {
      req.socket.destroy();
      return;
    }
    if (faulty('timeout')) await held(res, this.options.holdMs ?? 30_000);
    if (res.destroyed) return;
    res.writeHead(answer.status, {
      'Content-Type': 'application/json',
      'Request-Id': `req_${randomBytes(7).toString('hex')}`,
      ...(key ? { 'Idempotency-Key': key } : {}),
      ...(answer.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    });
    res.end(JSON.stringify(answer.body));
  }

  /**
   * What a call is about, for scoped faults: its metadata values, and for a refund those of the
   * payment intent it refunds (the saga's order and project ids).
   */
  private subjectsOf(form: Form): string[] {
    const intentId = typeof form.payment_intent === 'string' ? form.payment_intent : undefined;
    const metadata = [form.metadata, intentId && this.intents.get(intentId)?.metadata];
    return metadata.flatMap((m) =>
      m && typeof m === 'object'
        ? Object.values(m).filter((v): v is string => typeof v === 'string')
        : [],
    );
  }

  /** Routes, authenticates and runs one request; `target` is set when it executed. */
  private answer(req: IncomingMessage, form: Form, key: string | null, subjects: string[]) {
    const path = new URL(req.url ?? '/', 'http://stripe.local').pathname;
    const apiKey = /^Bearer (sk_\w+)$/.exec(req.headers.authorization ?? '')?.[1];
    for (const [method, pattern, run, target] of this.routes) {
      const match = req.method === method ? pattern.exec(path) : null;
      if (!match) continue;
      if (!apiKey)
        return { answer: invalid(401, 'Invalid API Key provided: expected "Bearer sk_…"') };
      if (target && this.options.faults?.take(target, 'fail', subjects)) {
        return { answer: error(500, { type: 'api_error', message: `Injected fault: ${target}` }) };
      }
      const execute = () => run(form, key, match[1] ?? '');
      const endpoint = `${method} ${path}`;
      return { answer: this.idempotency.run(endpoint, form, apiKey, key, execute), target };
    }
    return { answer: invalid(404, `Unrecognized request URL (${req.method}: ${path})`) };
  }

  private createIntent(form: Form, key: string | null): Answer {
    allowOnly(form, INTENT_PARAMS);
    const amount = Number(required(form, 'amount'));
    if (!Number.isInteger(amount) || amount < 1)
      refuse('Invalid positive integer', 'amount', 'parameter_invalid_integer');
    const currency = required(form, 'currency');
    if (form.confirm !== 'true')
      refuse('The fake supports only confirm=true', 'confirm', 'parameter_invalid');
    const paymentMethod = required(form, 'payment_method');
    const card = PAYMENT_METHODS[paymentMethod];
    if (!card)
      refuse(`No such PaymentMethod: '${paymentMethod}'`, 'payment_method', 'resource_missing');
    const charge = newId('ch');
    const declined = card.declineCode !== undefined;
    const failure = declined
      ? { type: 'card_error', code: 'card_declined', decline_code: card.declineCode, charge }
      : null;
    const intent = {
      id: newId('pi'),
      object: 'payment_intent',
      amount,
      amount_received: declined ? 0 : amount,
      currency,
      customer: typeof form.customer === 'string' ? form.customer : null,
      payment_method: paymentMethod,
      status: declined ? 'requires_payment_method' : 'succeeded',
      latest_charge: charge,
      last_payment_error: failure && { ...failure, message: 'Your card was declined.' },
      metadata: form.metadata ?? {},
      created: Math.floor(Date.now() / 1000),
    };
    this.intents.set(intent.id, { ...intent, idempotencyKey: key });
    // Like Stripe, a confirm-time decline is a 402 card error carrying the failed intent.
    if (intent.last_payment_error) {
      return error(402, { ...intent.last_payment_error, payment_intent: intent });
    }
    return { status: 200, body: intent };
  }

  private retrieveIntent(id: string): Answer {
    const { idempotencyKey: _, ...intent } =
      this.intents.get(id) ??
      refuse(`No such payment_intent: '${id}'`, 'intent', 'resource_missing', 404);
    return { status: 200, body: intent };
  }

  /** A full refund of a succeeded intent, once; a second one is `charge_already_refunded`. */
  private createRefund(form: Form, key: string | null): Answer {
    allowOnly(form, ['payment_intent', 'metadata']);
    const intentId = required(form, 'payment_intent');
    const intent =
      this.intents.get(intentId) ??
      refuse(`No such payment_intent: '${intentId}'`, 'payment_intent', 'resource_missing');
    // Execution has begun: from here on refusals are answers, saved under the key like Stripe's.
    if (intent.status !== 'succeeded') {
      return invalid(
        400,
        `PaymentIntent ${intentId} has no successful charge to refund`,
        'payment_intent_unexpected_state',
      );
    }
    if (this.refunds.some((refund) => refund.payment_intent === intentId)) {
      return invalid(
        400,
        `Charge ${intent.latest_charge} has already been refunded.`,
        'charge_already_refunded',
      );
    }
    const refund = {
      id: newId('re'),
      object: 'refund',
      amount: intent.amount,
      currency: intent.currency,
      charge: intent.latest_charge,
      payment_intent: intentId,
      metadata: form.metadata ?? {},
      status: 'succeeded',
      created: Math.floor(Date.now() / 1000),
    };
    this.refunds.push({ ...refund, idempotencyKey: key });
    return { status: 200, body: refund };
  }
}
