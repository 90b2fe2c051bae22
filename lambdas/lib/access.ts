import type { EventBusKey } from './event-rules.ts';
import type { WorkflowName } from './workflows.ts';

/**
 * What one function may touch. The function construct turns this into least-privilege IAM grants
 * plus the matching environment variables, and the infra tests check the policies against it.
 */
export interface Access {
  /** PlatformTable: `read` (Get/Query/BatchGet) or `write` (read + Put/Update/Delete/BatchWrite). */
  readonly platform?: 'read' | 'write';
  /** IdempotencyTable: Powertools needs Get, Put, Update and Delete on it. */
  readonly idempotency?: boolean;
  /** State machines this function may start. */
  readonly startExecution?: readonly WorkflowName[];
  /** Of those, the ones whose executions it reads back (to restart a failed saga). */
  readonly describeExecutions?: readonly WorkflowName[];
  /** May send e-mail through SES. */
  readonly sendMail?: boolean;
  /** May read the admin token secret. */
  readonly adminSecret?: boolean;
  /**
   * Stored secrets (webhook signing secrets) under the secrets KMS key: `seal` = kms:Encrypt,
   * `open` = kms:Decrypt, each bound to the `projectId` encryption context.
   */
  readonly secrets?: 'seal' | 'open';
  /** EventBridge buses it may put events on. */
  readonly putEvents?: readonly EventBusKey[];
  /** May read the payment provider's API key (Stripe secret in Secrets Manager). */
  readonly payments?: boolean;
  /**
   * The activities' EventBridge Scheduler schedules, in the stack's schedule group: `manage` may
   * create, update and delete them (targeting the dispatcher, passing the scheduler role);
   * `delete` may only delete them.
   */
  readonly schedules?: 'manage' | 'delete';
}
