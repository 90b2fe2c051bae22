import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { requireEnv } from '../config.ts';
import { logger, tracer } from '../observability.ts';
import type { WorkflowStarter } from '../ports/workflows.ts';
import { type WorkflowName, workflows } from '../workflows.ts';

/**
 * Starts Step Functions executions by deterministic name. `ExecutionAlreadyExists` means an
 * earlier attempt started it (and it may have finished): logged and treated as success (execution names are deterministic).
 */
export class SfnWorkflows implements WorkflowStarter {
  private readonly arns: Map<WorkflowName, string>;

  /** Reads the ARN of each workflow it may start now, so a missing variable fails at cold start. */
  constructor(
    names: readonly WorkflowName[],
    private readonly client: SFNClient = tracer.captureAWSv3Client(new SFNClient({})),
  ) {
    this.arns = new Map(names.map((name) => [name, requireEnv(workflows[name].arnEnv)]));
  }

  async start(
    workflow: WorkflowName,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ started: boolean }> {
    const stateMachineArn = this.arns.get(workflow);
    if (!stateMachineArn) throw new Error(`This function may not start ${workflow}`);
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return { started: true };
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
      logger.info('Execution already exists; treating the start as done', { workflow, name });
      return { started: false };
    }
  }
}
