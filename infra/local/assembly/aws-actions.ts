import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/constants.ts';
import { keyArnOfCiphertext, localKeyArn } from '../kms/kms.ts';
import type { AuthorizationRequest } from './iam.ts';

/** An SDK request as the IAM proxy sees it. */
export interface AwsRequest {
  /** The signing name from the SigV4 credential scope: `dynamodb`, `states`, `kms`, … */
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** `X-Amz-Target` of JSON-protocol APIs. */
  readonly target?: string;
  readonly body: Record<string, unknown>;
}

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;

const tableArn = (name: unknown) => {
  const table = String(name ?? '');
  return table.startsWith('arn:') ? table : arn('dynamodb', `table/${table}`);
};

const operationOf = (target: string | undefined) => target?.split('.').at(-1) ?? '';

/**
 * DynamoDB: one check per table an operation touches. Transactions have no action of their own:
 * IAM checks each item's Put/Update/Delete/ConditionCheck (and Get for TransactGetItems); a Query
 * on an index is authorized on the index's ARN.
 */
const dynamodb = (request: AwsRequest): AuthorizationRequest[] => {
  const operation = operationOf(request.target);
  const body = request.body;
  switch (operation) {
    case 'TransactWriteItems':
      return ((body.TransactItems as Record<string, { TableName?: string }>[]) ?? []).flatMap(
        (item) =>
          Object.entries(item).map(([kind, detail]) => ({
            action: `dynamodb:${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`}`,
            resource: tableArn(detail.TableName),
          })),
      );
    case 'TransactGetItems':
      return ((body.TransactItems as { Get?: { TableName?: string } }[]) ?? []).map((item) => ({
        action: 'dynamodb:GetItem',
        resource: tableArn(item.Get?.TableName),
      }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems as Record<string, unknown>) ?? {}).map((table) => ({
        action: `dynamodb:${operation}`,
        resource: tableArn(table),
      }));
    case 'Query':
    case 'Scan':
      return [
        {
          action: `dynamodb:${operation}`,
          resource: body.IndexName
            ? `${tableArn(body.TableName)}/index/${String(body.IndexName)}`
            : tableArn(body.TableName),
        },
      ];
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: '*' }];
    default:
      return [{ action: `dynamodb:${operation}`, resource: tableArn(body.TableName) }];
  }
};

const states = (request: AwsRequest): AuthorizationRequest[] => {
  const operation = operationOf(request.target);
  const resource =
    request.body.stateMachineArn ?? request.body.executionArn ?? request.body.activityArn ?? '*';
  return [{ action: `states:${operation}`, resource: String(resource) }];
};

const events = (request: AwsRequest): AuthorizationRequest[] => {
  const operation = operationOf(request.target);
  if (operation !== 'PutEvents') return [{ action: `events:${operation}`, resource: '*' }];
  const buses = new Set(
    ((request.body.Entries as { EventBusName?: string }[]) ?? []).map((entry) => {
      const bus = entry.EventBusName || 'default';
      return bus.startsWith('arn:') ? bus : arn('events', `event-bus/${bus}`);
    }),
  );
  return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
};

/** KMS: the key (from KeyId, or for Decrypt from the ciphertext) and the encryption context keys. */
const kms = (request: AwsRequest): AuthorizationRequest[] => {
  const operation = operationOf(request.target);
  const body = request.body;
  const keyId =
    typeof body.KeyId === 'string'
      ? localKeyArn(body.KeyId)
      : typeof body.CiphertextBlob === 'string'
        ? keyArnOfCiphertext(Buffer.from(body.CiphertextBlob, 'base64'))
        : undefined;
  const encryptionContext = (body.EncryptionContext as Record<string, string> | undefined) ?? {};
  const context: Record<string, string | string[]> = {
    'kms:CallerAccount': LOCAL_ACCOUNT,
    'kms:EncryptionContextKeys': Object.keys(encryptionContext),
  };
  for (const [key, value] of Object.entries(encryptionContext))
    context[`kms:EncryptionContext:${key}`] = value;
  // Called directly by a function, never "via" another service: kms:ViaService stays absent.
  return [{ action: `kms:${operation}`, resource: keyId ?? '*', context }];
};

const secretsmanager = (request: AwsRequest): AuthorizationRequest[] => [
  {
    action: `secretsmanager:${operationOf(request.target)}`,
    resource: String(request.body.SecretId ?? '*'),
  },
];

/** Scheduler (REST): `/schedules/{name}`, group in the body or `?groupName=`; writes pass a role. */
const scheduler = (request: AwsRequest): AuthorizationRequest[] => {
  const match = /^\/schedules\/([^/]+)$/.exec(request.path);
  if (!match)
    return [{ action: `scheduler:Unknown ${request.method} ${request.path}`, resource: '*' }];
  const name = decodeURIComponent(match[1] ?? '');
  const group = String(request.body.GroupName ?? request.query.get('groupName') ?? 'default');
  const action = {
    POST: 'CreateSchedule',
    PUT: 'UpdateSchedule',
    GET: 'GetSchedule',
    DELETE: 'DeleteSchedule',
  }[request.method];
  const checks: AuthorizationRequest[] = [
    {
      action: `scheduler:${action ?? request.method}`,
      resource: arn('scheduler', `schedule/${group}/${name}`),
    },
  ];
  const roleArn = (request.body.Target as { RoleArn?: string } | undefined)?.RoleArn;
  if (roleArn)
    checks.push({
      action: 'iam:PassRole',
      resource: roleArn,
      context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
  return checks;
};

/**
 * SES v2 SendEmail is authorized on the sending identity. SES uses whichever of the address and
 * its domain is verified; the twin verifies nothing, so it checks the address's identity and,
 * only if that is refused, the domain's (see `identityChecks`).
 */
const ses = (request: AwsRequest): AuthorizationRequest[] => {
  if (request.method !== 'POST' || request.path !== '/v2/email/outbound-emails')
    return [{ action: `ses:Unknown ${request.method} ${request.path}`, resource: '*' }];
  const from = String(request.body.FromEmailAddress ?? '');
  return [{ action: 'ses:SendEmail', resource: arn('ses', `identity/${from}`) }];
};

/** The other identity SES may have authorized a send on: the address's domain. */
export const alternativeIdentity = (
  check: AuthorizationRequest,
): AuthorizationRequest | undefined => {
  if (check.action !== 'ses:SendEmail') return undefined;
  const match = /^(arn:aws:ses:[^:]*:[^:]*:identity\/)[^@]+@(.+)$/.exec(check.resource);
  return match ? { ...check, resource: `${match[1]}${match[2]}` } : undefined;
};

const PARSERS: Record<string, (request: AwsRequest) => AuthorizationRequest[]> = {
  dynamodb,
  states,
  events,
  kms,
  secretsmanager,
  scheduler,
  ses,
};

/**
 * The IAM checks one SDK request needs: action and resource ARN (and the condition keys the stack
 * uses). A service the rehearsal does not know yields an action that no policy grants.
 */
export const authorizationChecks = (request: AwsRequest): AuthorizationRequest[] => {
  const parse = PARSERS[request.service];
  if (!parse) return [{ action: `${request.service}:Unknown`, resource: '*' }];
  return parse(request);
};
