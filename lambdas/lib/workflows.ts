/** A workflow: one ASL file, deployed as one state machine, started by name. */
export interface WorkflowDefinition {
  readonly name: string;
  /** ASL file, relative to the repository root; CDK and the twin both read it. */
  readonly file: string;
  /** Environment variable that carries the state machine ARN to the functions that start it. */
  readonly arnEnv: string;
}

export const workflows = {
  'provision-project': {
    name: 'provision-project',
    file: 'statemachines/provision-project.asl.json',
    arnEnv: 'PROVISION_PROJECT_STATE_MACHINE_ARN',
  },
  'deprovision-project': {
    name: 'deprovision-project',
    file: 'statemachines/deprovision-project.asl.json',
    arnEnv: 'DEPROVISION_PROJECT_STATE_MACHINE_ARN',
  },
  'deliver-webhook': {
    name: 'deliver-webhook',
    file: 'statemachines/deliver-webhook.asl.json',
    arnEnv: 'DELIVER_WEBHOOK_STATE_MACHINE_ARN',
  },
  'charge-order': {
    name: 'charge-order',
    file: 'statemachines/charge-order.asl.json',
    arnEnv: 'CHARGE_ORDER_STATE_MACHINE_ARN',
  },
  'run-activity': {
    name: 'run-activity',
    file: 'statemachines/run-activity.asl.json',
    arnEnv: 'RUN_ACTIVITY_STATE_MACHINE_ARN',
  },
} as const satisfies Record<string, WorkflowDefinition>;

export type WorkflowName = keyof typeof workflows;

/** The definition-substitution key under which a step function's ARN appears in ASL files. */
export const functionArnKey = (stepName: string): string => `${stepName}FunctionArn`;
