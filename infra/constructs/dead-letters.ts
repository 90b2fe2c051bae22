import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';

/**
 * A queue where AWS parks what it gave up on (a stream batch, an event, a schedule fire, a failed
 * asynchronous invocation), so nothing disappears unnoticed. Every such queue in the stack is built
 * here, alike: SQS-managed encryption (what lands here is an event or a pointer to one; it keeps
 * every writer — Lambda, EventBridge, Scheduler — free of another KMS key), TLS only, and the
 * longest retention SQS has, to give an operator time to look and redrive — and an alarm that goes
 * off as soon as one message is there (the stack's alarm topic is its action: see alarms.ts).
 *
 * cdk-nag's SQS3 looks only for redrive policies and function DLQs, so it calls every one of these
 * "not a DLQ"; `usedAs` says what it is, and becomes the acknowledgement's reason.
 */
export const deadLetterQueue = (scope: Construct, id: string, usedAs: string): Queue => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is the dead-letter queue: ${usedAs}, which cdk-nag does not recognise as DLQ use (it only looks for redrive policies and function DLQs).`,
  });
  new Alarm(scope, `${id}Alarm`, {
    // The queue's construct path, which starts with the stack's name: Retrysafe-Schedules-DeadLetters.
    alarmName: queue.node.path.replaceAll('/', '-'),
    alarmDescription: `A message is waiting in the dead-letter queue: ${usedAs}. Look, fix, redrive.`,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  deadLetterQueues.add(queue);
  return queue;
};

const deadLetterQueues = new WeakSet<Queue>();

/** Every dead-letter queue built in `scope`, for the dashboard. */
export const deadLetterQueuesIn = (scope: IConstruct): Queue[] =>
  scope.node.findAll().filter((c): c is Queue => c instanceof Queue && deadLetterQueues.has(c));
