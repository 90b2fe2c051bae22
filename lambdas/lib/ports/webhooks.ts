import type { WebhookHeaders } from '../domain/webhook-signing.ts';
import { DomainError } from '../errors.ts';

/** One delivery attempt: the signed JSON body, POSTed to the endpoint. */
export interface WebhookRequest {
  readonly url: string;
  /** JSON text, sent byte for byte as signed. */
  readonly body: string;
  readonly headers: WebhookHeaders;
}

/** The receiver's answer; any status, 2xx or not, is an answer. */
export interface WebhookResponse {
  readonly statusCode: number;
}

/**
 * Makes one delivery attempt. Returns the status of any HTTP answer (the caller decides whether a
 * non-2xx is a failure); throws {@link WebhookTimeout} or {@link WebhookUnreachable} when there
 * was no answer (both retryable), and `InvalidWebhookUrl` when the URL or the address it resolves
 * to is refused by the SSRF guard (not retryable). One method, so a wrapper — such as the twin's
 * fault injection — is a three-line object.
 */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}

/** No answer within the timeout; retryable with the same `webhook-id`. */
export class WebhookTimeout extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookTimeout';
  }
}

/** No connection or no complete answer (DNS, refused, reset, TLS); retryable. */
export class WebhookUnreachable extends DomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookUnreachable';
  }
}

/** The receiver answered, but not with 2xx; retryable, thrown by the delivery step. */
export class WebhookRejected extends DomainError {
  constructor(
    readonly statusCode: number,
    options?: ErrorOptions,
  ) {
    super(`The receiver answered ${statusCode}`, options);
    this.name = 'WebhookRejected';
  }
}
