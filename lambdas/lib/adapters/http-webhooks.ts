import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ENV, optionalEnv } from '../config.ts';
import {
  checkWebhookUrlShape,
  guardedLookup,
  InvalidWebhookUrl,
  type WebhookUrlPolicy,
} from '../domain/webhook-url.ts';
import {
  type WebhookRequest,
  type WebhookResponse,
  type WebhookSender,
  WebhookTimeout,
  WebhookUnreachable,
} from '../ports/webhooks.ts';

/** DESIGN §4 / issue 6: a receiver gets 10 s to answer before the attempt counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

const USER_AGENT = 'retrysafe-webhooks/1';

export interface HttpWebhooksOptions extends WebhookUrlPolicy {
  /** Whole-attempt deadline (connect, send, response headers). Default {@link WEBHOOK_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/**
 * Delivers webhooks over real HTTP(S): one POST per call, no redirects followed (a 3xx is just a
 * non-2xx answer; following it could lead the request to an internal address), no connection
 * reuse, and every connection resolved through {@link guardedLookup}, so the SSRF guard holds at
 * delivery time, not only when the URL was stored.
 */
export class HttpWebhooks implements WebhookSender {
  constructor(private readonly options: HttpWebhooksOptions = {}) {}

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    // Literal IPs never reach `lookup`, so the shape check (which judges them) runs here too.
    const check = checkWebhookUrlShape(request.url, this.options);
    if (!check.ok) throw new InvalidWebhookUrl(check.problem, check.detail);
    const { url } = check;
    const body = Buffer.from(request.body, 'utf8');
    const timeoutMs = this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

    return new Promise<WebhookResponse>((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: false,
          lookup: guardedLookup(this.options),
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': USER_AGENT,
          },
        },
        (res) => {
          // Only the status matters; drain the body so the socket closes, still under the deadline.
          res.on('close', () => clearTimeout(timer));
          res.on('error', () => undefined);
          res.resume();
          resolve({ statusCode: res.statusCode ?? 0 });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new WebhookTimeout(`${url.origin} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(classify(error, url));
      });
      req.end(body);
    });
  }
}

/** Keeps our own errors; anything else from the socket means the receiver was not reached. */
const classify = (error: Error, url: URL): Error =>
  error instanceof WebhookTimeout || error instanceof InvalidWebhookUrl
    ? error
    : new WebhookUnreachable(`Could not deliver to ${url.origin}: ${error.message}`, {
        cause: error,
      });

/**
 * Wraps a sender so an attempt can be failed on purpose before anything is sent: the twin passes
 * `() => faults.take('webhook', 'fail') ? new InjectedFault('webhook') : undefined`.
 */
export const withInjectedFailures = (
  inner: WebhookSender,
  failure: () => Error | undefined,
): WebhookSender => ({
  send: async (request) => {
    const error = failure();
    if (error) throw error;
    return inner.send(request);
  },
});

/** The sender for this environment: loopback receivers only when `WEBHOOK_ALLOW_LOOPBACK=true`. */
export const webhooksFromEnv = (): WebhookSender =>
  new HttpWebhooks({ allowLoopback: optionalEnv(ENV.webhookAllowLoopback) === 'true' });
