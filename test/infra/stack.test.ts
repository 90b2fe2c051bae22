import { readdirSync, readFileSync } from 'node:fs';
import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ResponseType } from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromRepoRoot } from '#infra/constructs/paths.ts';
import type { RetrysafeStack } from '#infra/stack.ts';
import { placeholdersIn } from '#infra/substitutions.ts';
import { tables } from '#infra/tables.ts';
import { WEBHOOK_TIMEOUT_MS } from '#lib/adapters/http-webhooks.ts';
import { STRIPE_MAX_NETWORK_RETRIES, STRIPE_TIMEOUT_MS } from '#lib/adapters/stripe-payments.ts';
import type { RouteDefinition } from '#lib/http/route-definition.ts';
import { type ProblemCode, problemCatalogue } from '#lib/problem-codes.ts';
import { functionArnKey, workflows } from '#lib/workflows.ts';
import { streamConsumers } from '../../lambdas/events/consumers.ts';
import { eventFunctions } from '../../lambdas/events/functions.ts';
import { authorizer, routes } from '../../lambdas/http/routes.ts';
import { type StepDefinition, steps } from '../../lambdas/steps/registry.ts';
import { logicalIdOf, propertiesOf, synthesize } from './synth.ts';

let stack: RetrysafeStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesize());
});

describe('observability', () => {
  it('runs every function on nodejs22.x arm64 with active tracing and its own log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(
      routes.length + steps.length + eventFunctions.length + streamConsumers.length + 1,
    );
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'retrysafe',
            POWERTOOLS_METRICS_NAMESPACE: 'retrysafe',
            POWERTOOLS_LOG_LEVEL: 'INFO',
          }),
        },
      });
    }
  });

  it('traces the v1 stage, logs errors without request data and writes JSON access logs', () => {
    const stage = propertiesOf(template, logicalIdOf(stack, stack.api.restApi.deploymentStage));
    expect(stage).toMatchObject({
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
        },
      ],
    });
    const format = (stage.AccessLogSetting as { Format: string }).Format;
    expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId' });
  });

  it('traces every state machine and logs ALL events without execution data', () => {
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(Object.keys(workflows).length);
    for (const machine of machines) {
      expect(machine.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });
});

describe('tables', () => {
  for (const definition of tables)
    it(`builds ${definition.id} on demand with TTL, PITR and KMS encryption`, () => {
      const table = propertiesOf(
        template,
        logicalIdOf(stack, stack.node.findChild('Data').node.findChild(definition.id)),
      );
      expect(table).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
      expect(table.KeySchema).toEqual(
        [definition.partitionKey, definition.sortKey]
          .filter((key) => key !== undefined)
          .map((key, i) => ({ AttributeName: key.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      );
      const streamType = definition.stream;
      expect(table.StreamSpecification).toEqual(streamType && { StreamViewType: streamType });
      expect(
        (table.GlobalSecondaryIndexes as { IndexName: string }[] | undefined)?.map(
          (i) => i.IndexName,
        ),
      ).toEqual(definition.globalSecondaryIndexes?.map((i) => i.indexName));
    });

  it('encrypts both tables with one customer-managed key; keys rotate, those of data outlive the stack', () => {
    const keys = template.findResources('AWS::KMS::Key');
    const dataKeys = [logicalIdOf(stack, stack.data.key), logicalIdOf(stack, stack.secretsKey)];
    // The third key only encrypts alarm notifications in flight (operations.test.ts).
    const alarmKey = logicalIdOf(stack, stack.node.findChild('AlarmTopicKey'));
    expect(Object.keys(keys).sort()).toEqual([...dataKeys, alarmKey].sort());
    for (const [id, key] of Object.entries(keys)) {
      expect(key).toMatchObject({ Properties: { EnableKeyRotation: true } });
      if (dataKeys.includes(id)) expect(key).toMatchObject({ DeletionPolicy: 'Retain' });
    }
    for (const definition of tables) {
      const table = stack.node.findChild('Data').node.findChild(definition.id);
      expect(propertiesOf(template, logicalIdOf(stack, table)).SSESpecification).toMatchObject({
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, stack.data.key), 'Arn'] },
      });
    }
  });
});

describe('secrets', () => {
  it('creates the Stripe key secret empty, for operators to put the sk_live_ key in', () => {
    const secret = propertiesOf(template, logicalIdOf(stack, stack.stripeSecret));
    expect(secret.SecretString).toBeUndefined();
    expect(secret.GenerateSecretString).toBeUndefined();
    expect(secret.Description).toMatch(/put the sk_live_… key/);
    template.hasOutput('StripeSecretKeyArn', {
      Value: { Ref: logicalIdOf(stack, stack.stripeSecret) },
    });
  });
});

describe('workflows', () => {
  const aslFiles = readdirSync(fromRepoRoot('statemachines')).filter((f) =>
    f.endsWith('.asl.json'),
  );
  const deployed = Object.values(workflows);

  it.each(aslFiles)('deploys statemachines/%s as a workflow', (file) => {
    expect(deployed.map((w) => w.file)).toContain(`statemachines/${file}`);
  });

  for (const workflow of deployed)
    it(`fills every placeholder in ${workflow.file} with a step function ARN`, () => {
      const placeholders = placeholdersIn(readFileSync(fromRepoRoot(workflow.file), 'utf8'));
      const machine = stack.workflows.stateMachines.get(workflow.name);
      if (!machine) throw new Error(`No state machine for ${workflow.name}`);
      const substitutions = propertiesOf(template, logicalIdOf(stack, machine))
        .DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;

      expect(placeholders.length).toBeGreaterThan(0);
      // Every Task names its function by placeholder — nested ones (Map, Parallel) included.
      const tasks = tasksIn(JSON.parse(readFileSync(fromRepoRoot(workflow.file), 'utf8')));
      for (const task of tasks) {
        expect(placeholders.map((key) => `\${${key}}`)).toContain(task.FunctionName);
      }
      for (const key of placeholders) {
        expect(substitutions, `\${${key}} in ${workflow.file}`).toHaveProperty(key);
        const [logicalId, attribute] = substitutions[key]?.['Fn::GetAtt'] ?? [];
        expect(attribute).toBe('Arn');
        expect(template.toJSON().Resources[logicalId ?? '']?.Type).toBe('AWS::Lambda::Function');
      }
    });

  for (const wf of deployed)
    it(`gives every Task in ${wf.file} more time than the Lambda it invokes`, () => {
      const tasks = tasksIn(JSON.parse(readFileSync(fromRepoRoot(wf.file), 'utf8')));
      expect(tasks.length).toBeGreaterThan(0);
      for (const task of tasks) {
        const step = steps.find((s) => task.FunctionName === `\${${functionArnKey(s.name)}}`);
        const fn = step && stack.workflows.stepFunctions.get(step.name);
        if (!fn) throw new Error(`No step function behind ${task.FunctionName}`);
        const timeout = propertiesOf(template, logicalIdOf(stack, fn)).Timeout as number;
        expect(timeout, task.FunctionName).toBeLessThan(task.TimeoutSeconds ?? Infinity);
      }
    });

  it('gives SendWebhook and RunTask more time than one outbound HTTP request may take', () => {
    for (const name of ['SendWebhook', 'RunTask']) {
      const fn = stack.workflows.stepFunctions.get(name);
      if (!fn) throw new Error(`No step function ${name}`);
      const timeout = propertiesOf(template, logicalIdOf(stack, fn)).Timeout as number;
      // The request's deadline, plus reading the delivery and opening the secret around it.
      expect(timeout, name).toBeGreaterThanOrEqual(WEBHOOK_TIMEOUT_MS / 1000 + 5);
    }
  });

  it.each((steps as readonly StepDefinition[]).filter((s) => s.access.payments).map((s) => s.name))(
    'gives %s more time than the Stripe SDK may spend on one call, retries included',
    (name) => {
      const fn = stack.workflows.stepFunctions.get(name);
      if (!fn) throw new Error(`No step function ${name}`);
      const timeout = propertiesOf(template, logicalIdOf(stack, fn)).Timeout as number;
      const attempts = STRIPE_MAX_NETWORK_RETRIES + 1;
      expect(timeout).toBeGreaterThan((attempts * STRIPE_TIMEOUT_MS) / 1000 + 2);
    },
  );
});

interface AslState {
  Type: string;
  TimeoutSeconds?: number;
  Parameters?: { FunctionName?: string };
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
}

/** Every Lambda Task in an ASL document, including those inside Map and Parallel states. */
const tasksIn = ({ States }: { States: Record<string, AslState> }) =>
  Object.values(States).flatMap((state): { FunctionName: string; TimeoutSeconds?: number }[] => [
    ...(state.Type === 'Task' && state.Parameters?.FunctionName
      ? [{ FunctionName: state.Parameters.FunctionName, TimeoutSeconds: state.TimeoutSeconds }]
      : []),
    ...[...(state.Branches ?? []), state.ItemProcessor, state.Iterator]
      .filter((inner) => inner !== undefined)
      .flatMap(tasksIn),
  ]);

describe('HTTP API', () => {
  it('hands every request body to the functions as bytes, as the twin gateway does', () => {
    // The handlers refuse bodies that are not UTF-8 only if API Gateway does not decode them
    // first; infra/local/apigateway builds its events on this setting.
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*~1*'] });
  });

  it('authorizes with an uncached TOKEN authorizer, so a revoked key fails its next request', () => {
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    const properties = propertiesOf(
      template,
      logicalIdOf(stack, stack.api.node.findChild('TokenAuthorizer')),
    );
    expect(properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 0,
    });
    const fn = stack.api.functions.get(authorizer.name);
    if (!fn) throw new Error('No authorizer function');
    expect(JSON.stringify(properties.AuthorizerUri)).toContain(`"${logicalIdOf(stack, fn)}"`);
  });

  it('caches authorizer decisions exactly authorizerCacheTtl long when one is chosen', () => {
    // The TTL is the documented bound on how long a revoked key may keep working.
    const cached = synthesize({ authorizerCacheTtl: Duration.seconds(30) });
    cached.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerResultTtlInSeconds: 30,
    });
  });

  for (const route of routes as readonly RouteDefinition[])
    it(`serves ${route.method} /v1${route.path} from ${route.name}, behind the authorizer unless public`, () => {
      const method = stack.api.restApi.methods.find(
        (m) => m.httpMethod === route.method && m.resource.path === route.path,
      );
      if (!method) throw new Error(`No method for ${route.method} ${route.path}`);
      const properties = propertiesOf(template, logicalIdOf(stack, method));
      const tokenAuthorizer = stack.api.node.findChild('TokenAuthorizer');
      expect(properties).toMatchObject(
        route.auth === 'none'
          ? { AuthorizationType: 'NONE' }
          : {
              AuthorizationType: 'CUSTOM',
              AuthorizerId: { Ref: logicalIdOf(stack, tokenAuthorizer) },
            },
      );
      const fn = stack.api.functions.get(route.name);
      if (!fn) throw new Error(`No function for ${route.name}`);
      expect(JSON.stringify(properties.Integration)).toContain(`"${logicalIdOf(stack, fn)}"`);
    });

  it('keeps the admin token in a generated Secrets Manager secret readable by the authorizer', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }),
      SecretString: Match.absent(),
    });
    const fn = stack.api.functions.get(authorizer.name);
    if (!fn) throw new Error('No authorizer function');
    const env = propertiesOf(template, logicalIdOf(stack, fn)).Environment;
    expect(env).toMatchObject({
      Variables: { ADMIN_TOKEN_SECRET_ARN: { Ref: logicalIdOf(stack, stack.adminToken) } },
    });
  });
});

describe('gateway responses', () => {
  const responses = () =>
    Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(
      (r) => r.Properties as Record<string, unknown>,
    );
  const bodyOf = (response: Record<string, unknown>) => {
    const templates = response.ResponseTemplates as Record<string, string>;
    const vtl = templates['application/json'] ?? '';
    return JSON.parse(vtl.replaceAll('$context.error.messageString', '"gateway message"'));
  };

  /** API Gateway's documented status of each response type (its "default status code"). */
  const awsStatus: Record<string, string | undefined> = {
    ACCESS_DENIED: '403',
    API_CONFIGURATION_ERROR: '500',
    AUTHORIZER_CONFIGURATION_ERROR: '500',
    AUTHORIZER_FAILURE: '500',
    BAD_REQUEST_PARAMETERS: '400',
    BAD_REQUEST_BODY: '400',
    DEFAULT_4XX: undefined,
    DEFAULT_5XX: undefined,
    EXPIRED_TOKEN: '403',
    INVALID_SIGNATURE: '403',
    INTEGRATION_FAILURE: '504',
    INTEGRATION_TIMEOUT: '504',
    INVALID_API_KEY: '403',
    // Moved on purpose: an unknown route is "not found" to a client, as in the twin.
    MISSING_AUTHENTICATION_TOKEN: '404',
    QUOTA_EXCEEDED: '429',
    REQUEST_TOO_LARGE: '413',
    RESOURCE_NOT_FOUND: '404',
    THROTTLED: '429',
    UNAUTHORIZED: '401',
    UNSUPPORTED_MEDIA_TYPE: '415',
    WAF_FILTERED: '403',
  };

  it.each([
    ['UNAUTHORIZED', 'unauthorized'],
    ['ACCESS_DENIED', 'forbidden'],
    ['MISSING_AUTHENTICATION_TOKEN', 'not_found'],
    ['REQUEST_TOO_LARGE', 'payload_too_large'],
    ['UNSUPPORTED_MEDIA_TYPE', 'unsupported_media_type'],
    ['THROTTLED', 'too_many_requests'],
    ['INTEGRATION_TIMEOUT', 'gateway_timeout'],
  ] as [string, ProblemCode][])('answers %s with the %s problem', (type, code) => {
    const response = responses().find((r) => r.ResponseType === type);
    if (!response) throw new Error(`No gateway response for ${type}`);
    const { status, title } = problemCatalogue[code];
    expect(response.StatusCode).toBe(String(status));
    expect(bodyOf(response)).toEqual({
      type: `https://retrysafe.dev/problems/${code}`,
      title,
      status,
      detail: expect.any(String),
      code,
    });
  });

  it('answers every response type API Gateway has, each with its own status', () => {
    const types = Object.keys(ResponseType).filter(
      (name) => (ResponseType as unknown as Record<string, unknown>)[name] instanceof ResponseType,
    );
    expect(types.sort()).toEqual(Object.keys(awsStatus).sort());
    for (const type of types) {
      const response = responses().find((r) => r.ResponseType === type);
      expect(response, type).toBeDefined();
      expect([type, response?.StatusCode]).toEqual([type, awsStatus[type]]);
    }
  });

  it('leaves the status of DEFAULT_4XX and DEFAULT_5XX unset, so no 415 or 504 is rewritten', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      const response = responses().find((r) => r.ResponseType === type);
      expect(response).toBeDefined();
      expect(response?.StatusCode).toBeUndefined();
      expect(bodyOf(response ?? {})).not.toHaveProperty('status');
    }
  });

  it('sends every gateway response as application/problem+json with a matching status', () => {
    for (const response of responses()) {
      expect(response.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
      });
      if (response.StatusCode !== undefined) {
        expect(String(bodyOf(response).status)).toBe(response.StatusCode);
      }
    }
  });
});
