import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue where AWS parks what it gave up on (a stream batch, an event, a schedule fire, a failed
 * asynchronous invocation), so nothing disappears unnoticed. Every such queue in the stack is built
 * here, alike: SQS-managed encryption (what lands here is an event or a pointer to one; it keeps
 * every writer — Lambda, EventBridge, Scheduler — free of another KMS key), TLS only, and the
 * longest retention SQS has, to give an operator time to look and redrive.
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
  return queue;
};
