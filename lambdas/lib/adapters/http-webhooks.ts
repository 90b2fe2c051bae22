import { ENV, optionalEnv } from '../config.ts';
import type { WebhookUrlPolicy } from '../domain/webhook-url.ts';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../ports/webhooks.ts';
import { guardedRequest } from './guarded-http.ts';

/** A receiver gets 10 s to answer before the attempt counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

const USER_AGENT = 'retrysafe-webhooks/1';

export interface HttpWebhooksOptions extends WebhookUrlPolicy {
  /** Whole-attempt deadline (connect, send, response headers). Default {@link WEBHOOK_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Delivers webhooks over real HTTP(S): one guarded POST per call (see `guardedRequest`). */
export class HttpWebhooks implements WebhookSender {
  constructor(private readonly options: HttpWebhooksOptions = {}) {}

  send(request: WebhookRequest): Promise<WebhookResponse> {
    const body = Buffer.from(request.body, 'utf8');
    return guardedRequest(
      request.url,
      {
        method: 'POST',
        body,
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': USER_AGENT,
        },
      },
      { ...this.options, timeoutMs: this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS },
    );
  }
}

/** The URL policy of this environment: loopback targets only when `WEBHOOK_ALLOW_LOOPBACK=true`. */
export const urlPolicyFromEnv = (): WebhookUrlPolicy => ({
  allowLoopback: optionalEnv(ENV.webhookAllowLoopback) === 'true',
});

/** The sender for this environment. */
export const webhooksFromEnv = (): WebhookSender => new HttpWebhooks(urlPolicyFromEnv());

/** GETs a URL through the same guard (the `http-ping` task type). */
export const pingFromEnv =
  (timeoutMs = WEBHOOK_TIMEOUT_MS) =>
  (url: string): Promise<{ statusCode: number }> =>
    guardedRequest(
      url,
      { method: 'GET', headers: { 'user-agent': USER_AGENT } },
      { ...urlPolicyFromEnv(), timeoutMs },
    );
