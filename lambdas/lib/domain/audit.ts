import type { Caller } from './caller.ts';
import type { ProjectStatus } from './project.ts';

export const AUDIT_ACTIONS = [
  'key.created',
  'key.revoked',
  'project.provisioned',
  'project.failed',
  'project.deletion_requested',
  'project.deleted',
  'mail.failed',
  'idempotency.record_expired',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One audit log entry. `id` names the operation it records (`key_created:{keyId}`…), and the log
 * holds at most one entry per id: writers put it conditionally, usually in the same transaction
 * as the change, so a retried operation never logs twice.
 */
export interface AuditEntry {
  readonly id: string;
  readonly projectId: string;
  readonly at: string;
  readonly action: AuditAction;
  /** `admin`, `key:{keyId}`, `workflow` (a saga step) or `dynamodb` (TTL). */
  readonly actor: string;
  readonly details?: Record<string, unknown>;
}

/** The audit actor for an HTTP caller. */
export const actorOf = (caller: Caller): string =>
  caller.kind === 'project' ? `key:${caller.keyId}` : caller.kind;

const STATUS_ACTIONS: Partial<Record<ProjectStatus, AuditAction>> = {
  active: 'project.provisioned',
  failed: 'project.failed',
  deleting: 'project.deletion_requested',
  deleted: 'project.deleted',
};

/** The entry for a project reaching a status; one per (project, status). */
export const statusEntry = (
  projectId: string,
  to: ProjectStatus,
  at: string,
  actor: string,
  details?: Record<string, unknown>,
): AuditEntry => {
  const action = STATUS_ACTIONS[to];
  if (!action) throw new Error(`No audit action for status ${to}`);
  return {
    id: `project_${to}:${projectId}`,
    projectId,
    at,
    action,
    actor,
    ...(details ? { details } : {}),
  };
};
