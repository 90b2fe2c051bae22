import type { WorkflowName } from '../workflows.ts';

/** Starts workflows by deterministic name; a second start of the same name is a no-op. */
export interface WorkflowStarter {
  start(
    workflow: WorkflowName,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ started: boolean }>;
}

/** Starts a workflow again under the next deterministic name when its last execution failed. */
export interface WorkflowRestarter {
  startOrRestart(
    workflow: WorkflowName,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ started: boolean; name: string }>;
}
