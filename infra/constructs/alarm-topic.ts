import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/** Where alarms go. */
export interface AlarmTopicProps {
  /** An existing topic to use instead of creating one. */
  readonly topicArn?: string;
  /** An address to subscribe (SNS mails a confirmation link first). */
  readonly email?: string;
}

/**
 * The one SNS topic every alarm notifies: the existing topic `topicArn` names, else a topic of the
 * stack's own, TLS-only and encrypted with a key of its own. Not the AWS managed `alias/aws/sns`:
 * its key policy cannot let CloudWatch use it, so alarms could not publish to the topic. The key
 * encrypts nothing that outlives a message, so it goes (after 7 days) with the stack.
 */
export const alarmTopic = (scope: Construct, id: string, props: AlarmTopicProps): ITopic => {
  const topic = props.topicArn
    ? Topic.fromTopicArn(scope, id, props.topicArn)
    : newTopic(scope, id);
  if (props.email) topic.addSubscription(new EmailSubscription(props.email));
  return topic;
};

const newTopic = (scope: Construct, id: string): Topic => {
  const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const key = new Key(scope, `${id}Key`, {
    description: 'Encrypts the retrysafe alarm topic; CloudWatch alarms may use it to publish',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new Topic(scope, id, {
    displayName: `${Stack.of(scope).stackName} alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  // A topic policy replaces SNS's default one, which let the account's own services publish.
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [cloudWatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
        ArnLike: {
          'aws:SourceArn': Stack.of(scope).formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  return topic;
};
