import type { WebhookEndpoint } from '../domain/webhook-endpoint.ts';

/** Where webhook endpoints live (one per project). */
export interface WebhookEndpointStore {
  get(projectId: string): Promise<WebhookEndpoint | undefined>;
  /**
   * Stores the first endpoint of an active project; `false` when one exists already. Throws
   * ProjectNotFound / ProjectStateConflict.
   */
  create(endpoint: WebhookEndpoint): Promise<boolean>;
  /** Changes url and types (and the sealed secret, on rotation) of an existing endpoint. */
  update(
    projectId: string,
    change: Pick<WebhookEndpoint, 'url' | 'eventTypes' | 'updatedAt'> & {
      readonly sealedSecret?: string;
    },
  ): Promise<WebhookEndpoint>;
}
