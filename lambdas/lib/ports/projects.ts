import type { AuditEntry } from '../domain/audit.ts';
import type { Failure, Project, ProjectStatus } from '../domain/project.ts';

/** Where projects live. */
export interface ProjectStore {
  /** Stores the project unless its id exists; returns what is stored either way. */
  create(project: Project): Promise<{ project: Project; created: boolean }>;
  get(projectId: string): Promise<Project | undefined>;
  /**
   * Moves the status from one of `from` to `to` and writes the audit entry, atomically. Already
   * at `to` is success (a retry; the entry was written then): `changed` tells the two apart.
   * Throws `ProjectNotFound` or `ProjectStateConflict` otherwise.
   */
  transition(change: {
    projectId: string;
    from: readonly ProjectStatus[];
    to: ProjectStatus;
    at: string;
    audit: AuditEntry;
    failure?: Failure;
  }): Promise<{ changed: boolean }>;
}
