/** A project's webhook endpoint; the signing secret is stored only sealed (KMS). */
export interface WebhookEndpoint {
  readonly projectId: string;
  readonly url: string;
  /** Event types to deliver; `null` delivers every type. */
  readonly eventTypes: readonly string[] | null;
  readonly sealedSecret: string;
  readonly secretVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** True when the endpoint wants events of this type. */
export const wants = (endpoint: WebhookEndpoint | undefined, type: string): boolean =>
  endpoint !== undefined && (endpoint.eventTypes === null || endpoint.eventTypes.includes(type));

/** `PUT …/webhook` answers with the endpoint, and the secret only when it was just made. */
export const endpointView = (endpoint: WebhookEndpoint, secret?: string) => ({
  url: endpoint.url,
  eventTypes: endpoint.eventTypes,
  secretVersion: endpoint.secretVersion,
  createdAt: endpoint.createdAt,
  updatedAt: endpoint.updatedAt,
  ...(secret ? { secret } : {}),
});
