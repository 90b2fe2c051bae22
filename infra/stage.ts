import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { LogLevel } from './constructs/function.ts';

/** The stage `cdk deploy` builds when no `-c stage=…` is given. */
export const DEFAULT_STAGE = 'dev';

/** What one stage may set; every key is CDK context of the same name. */
export interface StageSettings {
  readonly stage: string;
  /** Sender of every e-mail (a verified SES identity). */
  readonly mailFrom: string;
  /** Powertools log level of every function. */
  readonly logLevel: LogLevel;
  /** Retention of every log group. */
  readonly logRetention: RetentionDays;
  /** An existing SNS topic for the alarms; without it the stack creates one. */
  readonly alarmTopicArn: string | undefined;
  /** An address to subscribe to the alarm topic. */
  readonly alarmEmail: string | undefined;
}

/** The defaults of every stage; cdk.json's `stages` block changes them per stage. */
const DEFAULTS: Record<string, unknown> = {
  mailFrom: 'no-reply@example.com',
  logLevel: 'INFO',
  logRetentionDays: 30,
};

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** `-c stage=…`, else dev: lower case letters, digits and dashes, as it becomes part of names. */
export const stageOf = (node: Node): string => {
  const stage = String(node.tryGetContext('stage') ?? DEFAULT_STAGE);
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`Context stage=${stage}: use up to 20 lower-case letters, digits and dashes`);
  }
  return stage;
};

/** The stack of a stage: `Retrysafe` for dev (the name it always had), `Retrysafe-<stage>` else. */
export const stackNameFor = (stage: string): string =>
  stage === DEFAULT_STAGE ? 'Retrysafe' : `Retrysafe-${stage}`;

/**
 * The settings of the stage `-c stage=…` names. Each key comes from `-c <key>=…` if given, else
 * from `stages.<stage>.<key>` in cdk.json, else from the defaults above.
 */
export const stageSettings = (node: Node): StageSettings => {
  const stage = stageOf(node);
  const stages = (node.tryGetContext('stages') ?? {}) as Record<string, unknown>;
  const perStage = (stages[stage] ?? {}) as Record<string, unknown>;
  const setting = (key: string): unknown =>
    node.tryGetContext(key) ?? perStage[key] ?? DEFAULTS[key];
  const optional = (key: string): string | undefined => {
    const value = setting(key);
    return value === undefined || value === '' ? undefined : String(value);
  };

  const logLevel = String(setting('logLevel')) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`Context logLevel=${logLevel} is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const alarmTopicArn = optional('alarmTopicArn');
  if (alarmTopicArn !== undefined && !/^arn:[\w-]+:sns:[\w-]+:\d{12}:[\w-]+$/.test(alarmTopicArn)) {
    throw new Error(`Context alarmTopicArn=${alarmTopicArn} is not an SNS topic ARN`);
  }
  return {
    stage,
    mailFrom: String(setting('mailFrom')),
    logLevel,
    logRetention: retentionFrom(setting('logRetentionDays')),
    alarmTopicArn,
    alarmEmail: optional('alarmEmail'),
  };
};

const retentionFrom = (days: unknown): RetentionDays => {
  if (!Object.values(RetentionDays).includes(Number(days))) {
    throw new Error(`Context logRetentionDays=${String(days)} is not a CloudWatch retention`);
  }
  return Number(days) as RetentionDays;
};
