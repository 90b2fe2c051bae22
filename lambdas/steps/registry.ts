import type { Access } from '#lib/access.ts';

/**
 * How a step makes a retry harmless:
 * - `natural`: doing it again changes nothing (delete-if-exists, set-to-value).
 * - `conditional-write`: a DynamoDB condition lets only the first attempt write; later attempts
 *   read what is there and return it.
 * - `dedupe-record`: a record keyed by the effect (`ONCE#welcome`) is claimed before and confirmed
 *   after the effect, so a retry finds it and skips the effect.
 * - `provider-key`: the external provider deduplicates by an idempotency key fixed by the workflow.
 */
export type Guarantee = 'natural' | 'conditional-write' | 'dedupe-record' | 'provider-key';

export interface StepDefinition {
  /** Function name; ASL files reference it as `${<name>FunctionArn}`. */
  readonly name: string;
  readonly entry: string;
  readonly guarantee: Guarantee;
  /** One sentence: why a second run with the same input has no second effect. */
  readonly why: string;
  readonly access: Access;
}

/**
 * Every state machine task, with its idempotency guarantee. CDK creates one function per entry, the
 * twin maps Task ARNs to these handlers, and `test/integration/step-retry.test.ts` runs each entry
 * twice with the same input expecting the same result and no second effect.
 */
export const steps = [
  {
    name: 'CreateTenantRecord',
    entry: 'lambdas/steps/create-tenant-record.ts',
    guarantee: 'conditional-write',
    why: 'Put with attribute_not_exists(pk); on conflict the stored record is returned.',
    access: { platform: 'write' },
  },
  {
    name: 'CreateTenantStorage',
    entry: 'lambdas/steps/create-tenant-storage.ts',
    guarantee: 'conditional-write',
    why: 'The STORAGE marker is put with attribute_not_exists(pk) ("CREATE … IF NOT EXISTS").',
    access: { platform: 'write' },
  },
  {
    name: 'RunMigrations',
    entry: 'lambdas/steps/run-migrations.ts',
    guarantee: 'conditional-write',
    why: 'Pending versions are applied in transactions conditioned on none of their MIGRATION# records existing; a refused one re-reads what is applied and goes on with the rest.',
    access: { platform: 'write' },
  },
  {
    name: 'SendWelcomeEmail',
    entry: 'lambdas/steps/send-welcome-email.ts',
    guarantee: 'dedupe-record',
    why: 'ONCE#welcome is claimed before sending and marked sent after; a sent record skips the send. A send whose process died before the mark is redone after the claim lease: at-least-once in that window.',
    access: { platform: 'write', sendMail: true },
  },
  {
    name: 'RecordMailFailed',
    entry: 'lambdas/steps/record-mail-failed.ts',
    guarantee: 'conditional-write',
    why: 'The failure is set only where none is recorded, with its audit entry in the same transaction.',
    access: { platform: 'write' },
  },
  {
    name: 'SetProjectStatus',
    entry: 'lambdas/steps/set-project-status.ts',
    guarantee: 'conditional-write',
    why: 'Update conditioned on the expected current status; already at the target is success.',
    access: { platform: 'write' },
  },
  {
    name: 'DropTenantStorage',
    entry: 'lambdas/steps/drop-tenant-storage.ts',
    guarantee: 'natural',
    why: 'Deletes whatever tenant storage items exist ("DROP … IF EXISTS"); none left is a no-op.',
    access: { platform: 'write' },
  },
  {
    name: 'SoftDeleteTenant',
    entry: 'lambdas/steps/soft-delete-tenant.ts',
    guarantee: 'conditional-write',
    why: 'Sets deletedAt only where it is not set yet, so the first deletion time is kept.',
    access: { platform: 'write' },
  },
  {
    name: 'RevokeAllKeys',
    entry: 'lambdas/steps/revoke-all-keys.ts',
    guarantee: 'conditional-write',
    why: 'Each key is revoked only where revokedAt is absent, with its audit entry in the same transaction.',
    access: { platform: 'write' },
  },
  {
    name: 'StopSchedules',
    entry: 'lambdas/steps/stop-schedules.ts',
    guarantee: 'natural',
    why: "Deletes each activity's schedule if it exists; a schedule already gone is a no-op.",
    access: { platform: 'read', schedules: 'delete' },
  },
  {
    name: 'SendWebhook',
    entry: 'lambdas/steps/send-webhook.ts',
    guarantee: 'dedupe-record',
    why: "Each POST holds a lease on the event's delivery: a delivered event is never posted again, two concurrent invocations post once, every POST has the same webhook-id. A POST whose process died unrecorded is redone after the lease.",
    access: { platform: 'write', secrets: 'open' },
  },
  {
    name: 'MarkDeliveryFailed',
    entry: 'lambdas/steps/mark-delivery-failed.ts',
    guarantee: 'conditional-write',
    why: 'The delivery becomes failed only while it is still pending, so a repeat changes nothing.',
    access: { platform: 'write' },
  },
  {
    name: 'Charge',
    entry: 'lambdas/steps/charge.ts',
    guarantee: 'provider-key',
    why: 'Our charge record is read first; the provider call carries charge-{projectId}-{orderId}, and the outcome is recorded with a conditional write.',
    access: { platform: 'write', payments: true },
  },
  {
    name: 'Fulfil',
    entry: 'lambdas/steps/fulfil.ts',
    guarantee: 'conditional-write',
    why: 'The entitlement is put only where none exists, with the charged → fulfilled move in the same transaction.',
    access: { platform: 'write' },
  },
  {
    name: 'SendReceipt',
    entry: 'lambdas/steps/send-receipt.ts',
    guarantee: 'dedupe-record',
    why: 'ONCE#receipt:{orderId} is claimed before sending and marked sent after; a sent record skips the send. A send whose process died before the mark is redone after the claim lease: at-least-once in that window.',
    access: { platform: 'write', sendMail: true },
  },
  {
    name: 'RevokeEntitlement',
    entry: 'lambdas/steps/revoke-entitlement.ts',
    guarantee: 'natural',
    why: 'Deletes the entitlement if there is one; deleting nothing is a no-op.',
    access: { platform: 'write' },
  },
  {
    name: 'Refund',
    entry: 'lambdas/steps/refund.ts',
    guarantee: 'provider-key',
    why: 'The refund ledger is read first; the provider call carries refund-{projectId}-{orderId}, and the ledger entry is a conditional write.',
    access: { platform: 'write', payments: true },
  },
  {
    name: 'SetOrderStatus',
    entry: 'lambdas/steps/set-order-status.ts',
    guarantee: 'conditional-write',
    why: 'Update conditioned on the expected current status; already at the target is success.',
    access: { platform: 'write' },
  },
  {
    name: 'LogRun',
    entry: 'lambdas/steps/log-run.ts',
    guarantee: 'conditional-write',
    why: 'The run is put only where its run id is absent (ON CONFLICT DO NOTHING); a retry reads it back.',
    access: { platform: 'write' },
  },
  {
    name: 'RunTask',
    entry: 'lambdas/steps/run-task.ts',
    guarantee: 'dedupe-record',
    why: 'Instance upserted by id and claimed for one lease, then settled once: a settled instance is not run again; one a live attempt holds is retried later. One whose process died before settling runs again after the lease (at-least-once there).',
    access: { platform: 'write' },
  },
  {
    name: 'CompleteRun',
    entry: 'lambdas/steps/complete-run.ts',
    guarantee: 'conditional-write',
    why: 'The run is settled only while it is running; a settled run is returned as it is. A run LogRun never wrote is put, already failed, only where its run id is absent.',
    access: { platform: 'write' },
  },
] as const satisfies readonly StepDefinition[];

export type StepName = (typeof steps)[number]['name'];
