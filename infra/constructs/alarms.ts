import { readFileSync } from 'node:fs';
import { Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type IFilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type WorkflowName, workflows } from '#lib/workflows.ts';
import { fromRepoRoot } from './paths.ts';
import type { Workflows } from './workflows.ts';

/** What the alarms watch, and whom they tell. */
export interface AlarmsProps {
  /** Every alarm in the stack notifies this topic, on ALARM and on OK. */
  readonly topic: ITopic;
  /** The API stage whose 5xx rate is watched. */
  readonly api: Stage;
  /** Functions whose every error raises an alarm, by name. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly workflows: Workflows;
}

/** The Fail state's error that says a saga could not undo its work (statemachines/*.asl.json). */
export const COMPENSATION_FAILED = 'CompensationFailed';

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The stack's alarms: per state machine, any failed or timed-out execution and any execution that
 * reached a `CompensationFailed` Fail state (a metric filter on its execution log); the API's 5xx
 * rate (≥ 1%); any error of a function. Each fires at 1 (a count, or a percent) in one period.
 * Missing data is never a breach: no traffic is not an incident. Built last, it also points every
 * other alarm in the stack (the dead-letter queues' first-message alarms) at the same topic, so no
 * alarm is left without an action.
 */
export class Alarms extends Construct {
  /** Executions that entered a `CompensationFailed` state, for each workflow that has one. */
  readonly compensationFailures: ReadonlyMap<WorkflowName, Metric>;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const prefix = Stack.of(this).stackName;
    const alarm = (name: string, description: string, metric: IMetric) =>
      new Alarm(this, name, {
        alarmName: `${prefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    const compensationFailures = new Map<WorkflowName, Metric>();
    for (const [name, machine] of props.workflows.stateMachines) {
      alarm(
        `${name}-failed`,
        `An execution of ${name} failed. Its event history says which Fail state ended it; some are outcomes, not faults (a declined card, a receiver that stayed down). See docs/operations.md.`,
        machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
      );
      alarm(
        `${name}-timed-out`,
        `An execution of ${name} timed out. Read its event history; fix the cause, then redrive it (docs/operations.md).`,
        machine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
      );
      const states = failStates(workflows[name].file, COMPENSATION_FAILED);
      const logs = props.workflows.logGroups.get(name);
      if (states.length === 0 || !logs) continue;
      const filter = new MetricFilter(this, `${name}-compensation-failed-filter`, {
        logGroup: logs,
        filterPattern: enteredAnyOf(states),
        metricNamespace: `retrysafe/${prefix}`,
        metricName: `${COMPENSATION_FAILED}-${name}`,
        metricValue: '1',
      });
      const metric = filter.metric({ period: Duration.minutes(1), statistic: 'Sum' });
      compensationFailures.set(name, metric);
      alarm(
        `${name}-compensation-failed`,
        `An execution of ${name} could not undo its work (${COMPENSATION_FAILED}): an operator must finish it. Fix the cause, then start it again with its input (docs/operations.md).`,
        metric,
      );
    }
    this.compensationFailures = compensationFailures;

    alarm(
      'api-5xx-rate',
      '1% or more of the API requests in 5 minutes (at least 10 of them) were answered 5xx. Look at the access log and the failing route function.',
      new MathExpression({
        expression: 'IF(requests >= 10, 100 * errors / requests, 0)',
        usingMetrics: {
          requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
          errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        label: '5xx %',
        period: FIVE_MINUTES,
      }),
    );

    for (const [name, fn] of props.functions) {
      alarm(
        `${name}-errors`,
        `${name} reported an error. Read its log group; a step's error is retried by its state machine.`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      );
    }

    const notify = new SnsAction(props.topic);
    for (const each of Stack.of(this).node.findAll()) {
      if (each instanceof Alarm) {
        each.addAlarmAction(notify);
        each.addOkAction(notify);
      }
    }
  }
}

/** Names of the Fail states with this error in an ASL file, nested ones included. */
export const failStates = (file: string, error: string): string[] => {
  const names: string[] = [];
  const walk = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Fail' && state.Error === error) names.push(name);
      for (const inner of [...(state.Branches ?? []), state.ItemProcessor, state.Iterator]) {
        if (inner) walk(inner.States);
      }
    }
  };
  walk((JSON.parse(readFileSync(fromRepoRoot(file), 'utf8')) as AslBody).States);
  return names;
};

interface AslBody {
  States: Record<string, AslState>;
}
interface AslState {
  Type: string;
  Error?: string;
  Branches?: AslBody[];
  ItemProcessor?: AslBody;
  Iterator?: AslBody;
}

/**
 * Log events of an execution entering one of these states. The state's name is logged even
 * without execution data (`includeExecutionData: false`), unlike the payloads.
 */
const enteredAnyOf = (states: string[]): IFilterPattern =>
  FilterPattern.all(
    FilterPattern.stringValue('$.type', '=', 'FailStateEntered'),
    FilterPattern.any(
      ...states.map((state) => FilterPattern.stringValue('$.details.name', '=', state)),
    ),
  );
