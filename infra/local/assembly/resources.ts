import { idempotencyTable, platformTable } from '../../tables.ts';
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  localFunctionArn,
  localStateMachineArn,
} from '../aws/constants.ts';
import { constructIdOf, type StackAssembly } from './assembly.ts';
import type { ResolvedResource, ResourceLookup } from './intrinsics.ts';

/** Where the rehearsal's twin keeps what the template names. */
export interface TwinNames {
  readonly tables: { readonly platform: string; readonly idempotency: string };
}

const arn = (service: string, resource: string, region = LOCAL_REGION) =>
  `arn:aws:${service}:${region}:${LOCAL_ACCOUNT}:${resource}`;

/** `ProvisionProject` → `provision-project`: the workflow catalogue's names. */
export const kebabCase = (id: string): string =>
  id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * What each resource of the template stands for in the twin: its `Ref` and the attributes a
 * template reads. Functions, state machines and tables get the twin's own names (so the gateway,
 * the engine and DynamoDB Local find them); everything else a made-up local ARN that the IAM
 * check compares with the policies, which name the same resources.
 */
export const twinResources = (assembly: StackAssembly, names: TwinNames): ResourceLookup => {
  const { template } = assembly;
  const tableNames: Record<string, string> = {
    [platformTable.id]: names.tables.platform,
    [idempotencyTable.id]: names.tables.idempotency,
  };
  const pseudo: Record<string, string> = {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': assembly.stackName,
    'AWS::StackId': arn('cloudformation', `stack/${assembly.stackName}/local`),
  };
  return (logicalId: string): ResolvedResource | undefined => {
    const fixed = pseudo[logicalId];
    if (fixed !== undefined) return { ref: fixed };
    const resource = template.Resources[logicalId];
    if (!resource) return undefined;
    const id = constructIdOf(resource) ?? logicalId;
    const name = (resource.Properties?.Name as string | undefined) ?? logicalId;
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        return { ref: id, attributes: { Arn: localFunctionArn(id) } };
      case 'AWS::StepFunctions::StateMachine': {
        const workflow = kebabCase(id);
        const machine = localStateMachineArn(workflow);
        return { ref: machine, attributes: { Arn: machine, Name: workflow } };
      }
      case 'AWS::DynamoDB::Table': {
        const table = tableNames[id];
        if (!table) return undefined;
        const tableArn = arn('dynamodb', `table/${table}`);
        return { ref: table, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/local` } };
      }
      case 'AWS::KMS::Key':
        return {
          ref: logicalId,
          attributes: { Arn: arn('kms', `key/${logicalId}`), KeyId: logicalId },
        };
      case 'AWS::SecretsManager::Secret':
        return { ref: arn('secretsmanager', `secret:${id}-local`) };
      case 'AWS::Events::EventBus':
        return { ref: name, attributes: { Arn: arn('events', `event-bus/${name}`), Name: name } };
      case 'AWS::Scheduler::ScheduleGroup':
        return { ref: name, attributes: { Arn: arn('scheduler', `schedule-group/${name}`) } };
      case 'AWS::IAM::Role':
        return {
          ref: logicalId,
          attributes: { Arn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${logicalId}` },
        };
      case 'AWS::SQS::Queue':
        return {
          ref: `http://sqs.local/${LOCAL_ACCOUNT}/${logicalId}`,
          attributes: { Arn: arn('sqs', logicalId), QueueName: logicalId },
        };
      case 'AWS::Logs::LogGroup':
        return { ref: logicalId, attributes: { Arn: arn('logs', `log-group:${logicalId}:*`) } };
      case 'AWS::SNS::Topic':
        return { ref: arn('sns', logicalId), attributes: { TopicName: logicalId } };
      default:
        return {
          ref: logicalId,
          attributes: { Arn: arn(resource.Type.split('::')[1]?.toLowerCase() ?? 'x', logicalId) },
        };
    }
  };
};
