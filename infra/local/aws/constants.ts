/** Account and region of every ARN the twin makes up. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** The local ARN of a function the twin hosts. */
export const localFunctionArn = (name: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

/** The local ARN of a state machine the twin runs. */
export const localStateMachineArn = (name: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

/** The schedule group that holds the activities' schedules in the twin. */
export const LOCAL_SCHEDULE_GROUP = 'retrysafe';
