import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { secretFromEnv } from '#lib/adapters/secret-from-env.ts';
import { ENV } from '#lib/config.ts';
import type { Caller } from '#lib/domain/caller.ts';
import { bearerToken, type CredentialDeps, identify } from '#lib/domain/credentials.ts';
import { authorizerContextOf } from '#lib/http/caller.ts';
import { instrumented } from '#lib/observability.ts';
import { apiKeysFromEnv } from '#lib/wiring/api-keys.ts';

/**
 * TOKEN authorizer: identifies the bearer token and allows the whole API for that caller; routes
 * apply their own rules (403 for a project key on an admin route, 404 on another project).
 * An unknown token is `Unauthorized`, which API Gateway (and the twin) turn into a 401.
 */
export const makeHandler = (deps: CredentialDeps) =>
  instrumented(
    async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
      const caller = await identify(deps, bearerToken(event.authorizationToken));
      if (!caller) throw new Error('Unauthorized');
      return {
        principalId: principalOf(caller),
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApi(event.methodArn) },
          ],
        },
        context: authorizerContextOf(caller),
      };
    },
  );

const principalOf = (caller: Caller): string =>
  caller.kind === 'project' ? `key:${caller.keyId}` : caller.kind;

/** `arn:…:apiId/stage/METHOD/path` → `arn:…:apiId/stage/*`: one policy fits every route. */
const wholeApi = (methodArn: string): string =>
  methodArn.split('/').slice(0, 2).concat('*').join('/');

export const handler = makeHandler({
  adminToken: secretFromEnv(ENV.adminTokenSecretArn, ENV.adminToken, 'admin token'),
  keys: apiKeysFromEnv(),
});
