import { readFileSync } from 'node:fs';
import { Fn, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { placeholdersIn, substitutionsFor } from '#infra/substitutions.ts';
import { functionArnKey, type WorkflowName, workflows } from '#lib/workflows.ts';
import { steps } from '../../lambdas/steps/registry.ts';
import { RetrysafeFunction, type SharedFunctionProps } from './function.ts';
import { fromRepoRoot } from './paths.ts';

/** Settings for the step functions. */
export interface WorkflowsProps {
  readonly functions: SharedFunctionProps;
}

/**
 * The sagas: one Lambda per step in `lambdas/steps/registry.ts`, one STANDARD state machine per
 * workflow in `lambdas/lib/workflows.ts`, its definition read from the ASL file as is, with
 * `${<Step>FunctionArn}` placeholders filled by definition substitutions. A new step or workflow
 * is a new entry in those modules; nothing here changes.
 */
export class Workflows extends Construct {
  /** Step functions by step name (registry.ts). */
  readonly stepFunctions: ReadonlyMap<string, RetrysafeFunction>;
  /** State machines by workflow name; routes that start one get its ARN through their Access. */
  readonly stateMachines: ReadonlyMap<WorkflowName, StateMachine>;
  /** Each state machine's execution log group (ALL events, no execution data), by workflow. */
  readonly logGroups: ReadonlyMap<WorkflowName, LogGroup>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.stepFunctions = new Map(
      steps.map((step) => [
        step.name,
        new RetrysafeFunction(this, step.name, {
          ...props.functions,
          entry: step.entry,
          access: step.access,
          description: step.why,
          kind: 'step',
        }),
      ]),
    );
    const stateMachines = new Map<WorkflowName, StateMachine>();
    const logGroups = new Map<WorkflowName, LogGroup>();
    for (const workflow of Object.values(workflows)) {
      const built = this.stateMachine(workflow, props.functions.logRetention);
      stateMachines.set(workflow.name, built.stateMachine);
      logGroups.set(workflow.name, built.logs);
    }
    this.stateMachines = stateMachines;
    this.logGroups = logGroups;
  }

  private stepFunction(name: string): RetrysafeFunction {
    const fn = this.stepFunctions.get(name);
    if (!fn) throw new Error(`No step named ${name} in lambdas/steps/registry.ts`);
    return fn;
  }

  private stateMachine(
    workflow: (typeof workflows)[WorkflowName],
    retention = RetentionDays.ONE_MONTH,
  ): { stateMachine: StateMachine; logs: LogGroup } {
    const id = pascalCase(workflow.name);
    const substitutions = substitutionsFor((name) => this.stepFunction(name).functionArn);
    const used = placeholdersIn(readFileSync(fromRepoRoot(workflow.file), 'utf8'));
    const missing = used.filter((key) => !(key in substitutions));
    if (missing.length > 0) {
      throw new Error(`${workflow.file} uses \${${missing.join('}, ${')}} with no step behind it`);
    }

    const logs = new LogGroup(this, `${id}Logs`, {
      // The vendedlogs prefix keeps CloudWatch's log resource policy small however many workflows.
      // Log groups are retained when the stack is deleted or a create rolls back, so a fixed name
      // would collide with the retained group on the next deploy: the name ends with the stack's
      // own id, which CloudFormation makes new for every stack it creates.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${workflow.name}-${stackInstanceId(this)}`,
      retention,
    });
    const stateMachine = new StateMachine(this, id, {
      definitionBody: DefinitionBody.fromFile(fromRepoRoot(workflow.file)),
      definitionSubstitutions: substitutions,
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      // Execution data carries owner e-mails and provider ids: log the events, not the payloads.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    // Invoke only the steps this definition names — not every step function in the stack.
    const invoked = steps
      .filter((step) => used.includes(functionArnKey(step.name)))
      .map((step) => this.stepFunction(step.name).functionArn);
    stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invoked }),
    );
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements CDK adds for logging (logs:*LogDelivery, PutResourcePolicy, Describe*) and X-Ray tracing use Resource "*": those APIs have no resource-level permissions.',
    });
    return { stateMachine, logs };
  }
}

/** The first block of the stack id's UUID: new for every stack CloudFormation creates. */
const stackInstanceId = (scope: Construct): string =>
  Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Stack.of(scope).stackId))));

const pascalCase = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
