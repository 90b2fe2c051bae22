import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { requireEnv } from '../config.ts';
import { logger, tracer } from '../observability.ts';
import type { WorkflowRestarter, WorkflowStarter } from '../ports/workflows.ts';
import { type WorkflowName, workflows } from '../workflows.ts';

/**
 * Starts Step Functions executions by deterministic name. `ExecutionAlreadyExists` means an
 * earlier attempt started it (and it may have finished): logged and treated as success (execution names are deterministic).
 */
export class SfnWorkflows implements WorkflowStarter, WorkflowRestarter {
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

  /**
   * Starts `name`, or — when that execution closed without success — the next of `name-r1`,
   * `name-r2`…: names stay deterministic, so two concurrent calls start the same execution, and
   * a running or succeeded one is never doubled. Step Functions keeps a closed name for 90 days,
   * which would otherwise block a second attempt at a saga that failed.
   */
  async startOrRestart(
    workflow: WorkflowName,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ started: boolean; name: string }> {
    const stateMachineArn = this.arns.get(workflow) ?? '';
    for (let attempt = 0; attempt < MAX_RESTARTS; attempt++) {
      const candidate = attempt === 0 ? name : `${name}-r${attempt}`;
      if ((await this.start(workflow, candidate, input)).started)
        return { started: true, name: candidate };
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${candidate}`;
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      if (status === 'RUNNING' || status === 'SUCCEEDED' || status === 'PENDING_REDRIVE')
        return { started: false, name: candidate };
    }
    throw new Error(`${workflow} ${name} failed ${MAX_RESTARTS} times; an operator must look`);
  }
}

/** Restarts of one saga before an operator must look. */
const MAX_RESTARTS = 20;
