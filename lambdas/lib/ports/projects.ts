import type { Failure, Project, ProjectStatus } from '../domain/project.ts';

/** Where projects live. */
export interface ProjectStore {
  /** Stores the project unless its id exists; returns what is stored either way. */
  create(project: Project): Promise<{ project: Project; created: boolean }>;
  get(projectId: string): Promise<Project | undefined>;
  /**
   * Moves the status from one of `from` to `to`. Already at `to` is success (a retry). Throws
   * `ProjectNotFound` or `ProjectStateConflict` otherwise.
   */
  transition(change: {
    projectId: string;
    from: readonly ProjectStatus[];
    to: ProjectStatus;
    at: string;
    failure?: Failure;
  }): Promise<Project>;
}
