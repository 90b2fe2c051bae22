import type { AuditEntry } from '../domain/audit.ts';

/** The audit log, newest first. */
export interface AuditLog {
  /** Writes the entry unless one with its id exists. */
  record(entry: AuditEntry): Promise<void>;
  list(
    projectId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ entries: AuditEntry[]; nextCursor?: string }>;
}
