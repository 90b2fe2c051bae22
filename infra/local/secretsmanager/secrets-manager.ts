import type { JsonOperation } from '../aws/aws-endpoint.ts';
import { AwsError } from '../aws/aws-error.ts';

/**
 * The twin's Secrets Manager: `GetSecretValue` of fixed string secrets by ARN, as
 * `@aws-sdk/client-secrets-manager` (and Powertools' `getSecret`) call it. The source-run twin
 * hands handlers their secrets as plain variables and never calls it; a rehearsal runs the
 * template's functions, which read the secrets the stack creates.
 */
export const secretsManagerOperations = (
  secrets: ReadonlyMap<string, string>,
): Record<string, JsonOperation> => ({
  'secretsmanager.GetSecretValue': (request) => {
    const id = String(request.SecretId ?? '');
    const value = secrets.get(id);
    if (value === undefined)
      throw new AwsError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    return {
      ARN: id,
      Name: id.split(':secret:')[1] ?? id,
      SecretString: value,
      VersionId: '00000000-0000-4000-8000-000000000001',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 0,
    };
  },
});
