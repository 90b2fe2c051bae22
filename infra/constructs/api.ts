import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '#lib/http/route-definition.ts';
import { authorizer, routes } from '../../lambdas/http/routes.ts';
import { RetrysafeFunction, type SharedFunctionProps } from './function.ts';
import { addProblemGatewayResponses } from './gateway-responses.ts';

/** Settings for the route functions and the authorizer. */
export interface ApiProps {
  readonly functions: SharedFunctionProps;
  /**
   * How long API Gateway caches an authorizer decision per token. 0 (the default) turns the cache
   * off, so a revoked API key is refused on its very next request instead of up to TTL later.
   * @default Duration.seconds(0)
   */
  readonly authorizerCacheTtl?: Duration;
}

/**
 * The REST API, stage `v1`, built from the one route table in `lambdas/http/routes.ts`: a resource
 * path, a method and a function per route, the TOKEN authorizer on every route that is not
 * public, and problem+json for every error API Gateway answers itself. A new route is a new entry
 * in routes.ts; nothing here changes.
 */
export class Api extends Construct {
  /** The REST API; its deployment stage is `v1`. */
  readonly restApi: RestApi;
  /** Route functions by route name, plus the authorizer function. */
  readonly functions: ReadonlyMap<string, RetrysafeFunction>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.functions.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      // Its metrics are keyed by this name: one per stack, so two stages never share a graph.
      restApiName: Stack.of(this).stackName,
      description: 'retrysafe control plane',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Every request body reaches the functions as its bytes (base64), not as text API Gateway
      // decoded: a body that is not valid UTF-8 is then refused with a 400 by the handler instead
      // of arriving with U+FFFD in place of the bytes. Responses are text and pass unchanged.
      // CloudFormation wants the slash of a media type escaped as `~1` (`*~1*` is `*/*`); an
      // unescaped one breaks later updates of the list.
      binaryMediaTypes: ['*~1*'],
      // Execution logging needs the account-level API Gateway → CloudWatch role; create it here.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        metricsEnabled: true,
        // Per-stage ceiling so one runaway client cannot drain the tables or the payment provider.
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Bodies carry API key secrets and webhook signing secrets: never log them.
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: accessLogFormat(),
      },
    });
    addProblemGatewayResponses(this.restApi);

    const functions = new Map<string, RetrysafeFunction>();
    const authorizerFunction = new RetrysafeFunction(this, authorizer.name, {
      ...props.functions,
      entry: authorizer.entry,
      access: authorizer.access,
      kind: 'api',
      description: 'TOKEN authorizer: admin token or project API key',
    });
    functions.set(authorizer.name, authorizerFunction);
    const tokenAuthorizer = new TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: authorizerFunction,
      identitySource: IdentitySource.header('Authorization'),
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.seconds(0),
    });

    for (const route of routes as readonly RouteDefinition[]) {
      const fn = new RetrysafeFunction(this, route.name, {
        ...props.functions,
        entry: route.entry,
        access: route.access,
        kind: 'api',
        description: `${route.method} /v1${route.path}`,
      });
      functions.set(route.name, fn);
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          new LambdaIntegration(fn, { allowTestInvoke: false }),
          route.auth === 'none'
            ? { authorizationType: AuthorizationType.NONE }
            : { authorizer: tokenAuthorizer },
        );
      if (route.auth === 'none') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is declared public (auth: none) in lambdas/http/routes.ts: it answers from code alone (health for uptime probes, the OpenAPI document for clients), never with any project's data.`,
        });
      }
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are operators (admin token) and tenants (project API keys issued by this API), not Cognito users; the Lambda TOKEN authorizer checks both.',
      });
    }
    this.functions = functions;

    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Handlers validate bodies and parameters with zod so AWS and the local twin answer the same 400 problem+json with field errors; a gateway validator would be a second, divergent schema.',
    });
    Validations.of(this.restApi.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A WAFv2 web ACL is an account-level choice (cost, managed rule groups shared across APIs) made per environment; this stack has the authorizer, stage throttling and body limits.',
    });
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-wide API Gateway logging role must write to the log groups API Gateway creates for every API in the region; the AWS managed policy is the documented policy for it.',
      });
    }
  }

  /** The stage URL, ending in `/v1/`. */
  get url(): string {
    return this.restApi.url;
  }
}

/** JSON access log: who, what, how long, and why a request failed — never headers or bodies. */
const accessLogFormat = () =>
  AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      extendedRequestId: AccessLogField.contextExtendedRequestId(),
      xrayTraceId: AccessLogField.contextXrayTraceId(),
      requestTime: AccessLogField.contextRequestTime(),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      path: AccessLogField.contextPath(),
      status: AccessLogField.contextStatus(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatency: AccessLogField.contextResponseLatency(),
      integrationLatency: AccessLogField.contextIntegrationLatency(),
      principalId: AccessLogField.contextAuthorizerPrincipalId(),
      authorizerError: AccessLogField.contextAuthorizerError(),
      errorType: AccessLogField.contextErrorResponseType(),
      errorMessage: AccessLogField.contextErrorMessage(),
      sourceIp: AccessLogField.contextIdentitySourceIp(),
      userAgent: AccessLogField.contextIdentityUserAgent(),
    }),
  );
