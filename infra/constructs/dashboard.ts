import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Outcome } from '#lib/ports/outcomes.ts';
import type { WorkflowName } from '#lib/workflows.ts';
import { POWERTOOLS_SERVICE } from './function.ts';

/**
 * The Powertools metrics the HTTP idempotency layer emits (lambdas/lib/http/idempotency.ts): a
 * stored response replayed, a key reused with another body, a key whose first request is still
 * running.
 */
export const IDEMPOTENCY_METRICS = [
  'IdempotentReplay',
  'IdempotencyKeyReused',
  'IdempotencyInProgress',
] as const;

/**
 * The business outcomes (lambdas/lib/ports/outcomes.ts), one graph per subject. Each is counted
 * once per outcome, by the write that settled it, so a retried step never inflates them.
 */
export const OUTCOME_GRAPHS: readonly { title: string; outcomes: readonly Outcome[] }[] = [
  { title: 'Projects', outcomes: ['ProjectsProvisioned', 'ProvisioningFailed'] },
  { title: 'Charges', outcomes: ['ChargesSucceeded', 'ChargesDeclined', 'Refunds'] },
  { title: 'Webhooks', outcomes: ['WebhooksDelivered', 'WebhooksFailed'] },
  { title: 'Activity runs', outcomes: ['RunsStarted', 'RunsSkipped'] },
];

/** What the dashboard shows. */
export interface OperationsDashboardProps {
  readonly api: Stage;
  /** Functions in groups (a title each), each by name. */
  readonly functionGroups: ReadonlyMap<string, ReadonlyMap<string, IFunction>>;
  readonly stateMachines: ReadonlyMap<WorkflowName, StateMachine>;
  /** Executions that ended in `CompensationFailed`, for the workflows that have that state. */
  readonly compensationFailures: ReadonlyMap<WorkflowName, Metric>;
  readonly deadLetterQueues: readonly IQueue[];
  readonly alarms: readonly IAlarm[];
}

const PERIOD = Duration.minutes(5);

/**
 * One CloudWatch dashboard, `<stack>-<region>`, top to bottom: alarm states; the API's requests,
 * 4xx, 5xx and latency; errors, throttles and p99 duration of every function, by group;
 * executions started, failed and timed out of every state machine; messages waiting in every
 * dead-letter queue; the business outcomes; the idempotency layer's replays and refusals.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-${Aws.REGION}`,
      defaultInterval: Duration.hours(6),
    });
    const sum = { period: PERIOD, statistic: 'Sum' };

    // An alarm status widget lists at most 100 alarms.
    const alarmWidgets: IWidget[] = [];
    for (let from = 0; from < props.alarms.length; from += 100) {
      const alarms = props.alarms.slice(from, from + 100);
      alarmWidgets.push(new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 6 }));
    }
    this.section('Alarms', ...alarmWidgets);

    this.section(
      'API (stage v1)',
      graph('Requests, 4xx, 5xx', [
        props.api.metricCount({ ...sum, label: 'requests' }),
        props.api.metricClientError({ ...sum, label: '4xx' }),
        props.api.metricServerError({ ...sum, label: '5xx' }),
      ]),
      graph('Latency (ms)', [
        props.api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'p50' }),
        props.api.metricLatency({ period: PERIOD, statistic: 'p99', label: 'p99' }),
      ]),
    );

    for (const [title, functions] of props.functionGroups) {
      const each = (metric: (fn: IFunction, name: string) => IMetric) =>
        [...functions].map(([name, fn]) => metric(fn, name));
      this.section(
        `Functions: ${title}`,
        graph(
          'Errors',
          each((fn, label) => fn.metricErrors({ ...sum, label })),
          8,
        ),
        graph(
          'Throttles',
          each((fn, label) => fn.metricThrottles({ ...sum, label })),
          8,
        ),
        graph(
          'Duration p99 (ms)',
          each((fn, label) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label })),
          8,
        ),
      );
    }

    this.section(
      'Sagas (executions)',
      ...[...props.stateMachines].map(([name, machine]) => {
        const compensation = props.compensationFailures.get(name);
        return graph(
          name,
          [
            machine.metricStarted({ ...sum, label: 'started' }),
            machine.metricFailed({ ...sum, label: 'failed' }),
            machine.metricTimedOut({ ...sum, label: 'timed out' }),
            ...(compensation ? [compensation.with({ label: 'compensation failed' })] : []),
          ],
          8,
        );
      }),
    );

    this.section(
      'Dead-letter queues',
      graph(
        'Messages visible',
        props.deadLetterQueues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
            label: queue.node.id,
          }),
        ),
        24,
      ),
    );

    this.section(
      'Business outcomes',
      ...OUTCOME_GRAPHS.map(({ title, outcomes }) => graph(title, outcomes.map(powertools), 6)),
    );

    this.section(
      'Idempotency (HTTP)',
      graph('Replays and refusals', IDEMPOTENCY_METRICS.map(powertools), 24),
    );
  }

  /** A heading, then the widgets, wrapped at the dashboard's width. */
  private section(title: string, ...widgets: IWidget[]): void {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }
}

/** A Powertools metric of the functions: namespace and `service` dimension, sum per 5 minutes. */
const powertools = (metricName: string): Metric =>
  new Metric({
    namespace: POWERTOOLS_SERVICE,
    metricName,
    dimensionsMap: { service: POWERTOOLS_SERVICE },
    period: PERIOD,
    statistic: 'Sum',
    label: metricName,
  });

const graph = (title: string, left: IMetric[], width = 12): GraphWidget =>
  new GraphWidget({ title, left, width, height: 6 });
