import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  checkWebhookUrlShape,
  guardedLookup,
  InvalidWebhookUrl,
  type WebhookUrlPolicy,
} from '../domain/webhook-url.ts';
import { WebhookTimeout, WebhookUnreachable } from '../ports/webhooks.ts';

/** A deadline for one request; the SSRF policy of every connection it opens. */
export interface GuardedHttpOptions extends WebhookUrlPolicy {
  readonly timeoutMs: number;
}

/**
 * One HTTP(S) request to a tenant-supplied URL, for webhooks and `http-ping` tasks alike: no
 * redirects followed (a 3xx is just an answer; following one could lead to an internal address),
 * no connection reuse, and every connection resolved through {@link guardedLookup}, so the SSRF
 * guard holds when the request is made, not only when the URL was stored. Answers the status;
 * throws `WebhookTimeout` / `WebhookUnreachable` (retryable) when there is none.
 */
export const guardedRequest = (
  rawUrl: string,
  request: { method: 'GET' | 'POST'; headers: Record<string, string | number>; body?: Buffer },
  options: GuardedHttpOptions,
): Promise<{ statusCode: number }> => {
  // Literal IPs never reach `lookup`, so the shape check (which judges them) runs here too.
  const check = checkWebhookUrlShape(rawUrl, options);
  if (!check.ok) return Promise.reject(new InvalidWebhookUrl(check.problem, check.detail));
  const { url } = check;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: request.method,
        agent: false,
        lookup: guardedLookup(options),
        headers: request.headers,
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
      req.destroy(
        new WebhookTimeout(`${url.origin} did not answer within ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(classify(error, url));
    });
    req.end(request.body);
  });
};

/** Keeps our own errors; anything else from the socket means the receiver was not reached. */
const classify = (error: Error, url: URL): Error =>
  error instanceof WebhookTimeout || error instanceof InvalidWebhookUrl
    ? error
    : new WebhookUnreachable(`Could not reach ${url.origin}: ${error.message}`, { cause: error });
