import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth.ts';

interface Resource {
  Type: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties?: Record<string, unknown>;
}

let resources: [string, Resource][];

beforeAll(() => {
  resources = Object.entries(synthesize().template.toJSON().Resources as Record<string, Resource>);
});

/** Kept by `cdk destroy` and by the rollback of a failed create. */
const retained = (resource: Resource) =>
  ['Retain', 'RetainExceptOnCreate'].includes(resource.DeletionPolicy ?? '');

/** Top-level properties that name the physical resource (`LogGroupName`, `TableName`, …). */
const nameProperties = (resource: Resource) =>
  Object.entries(resource.Properties ?? {}).filter(
    ([key]) => key.endsWith('Name') && !['KeyName'].includes(key),
  );

describe('deploy, destroy, deploy again', () => {
  it('retains the resources that hold data or must stay readable', () => {
    const kept = resources.filter(([, r]) => retained(r)).map(([, r]) => r.Type);
    expect(kept).toEqual(
      expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']),
    );
  });

  it('gives no retained resource a name the next create of the stack would collide with', () => {
    const fixed = resources
      .filter(([, r]) => retained(r))
      .flatMap(([id, r]) =>
        nameProperties(r)
          // A name that embeds the stack's own id is new for every stack CloudFormation creates.
          .filter(([, value]) => !JSON.stringify(value).includes('AWS::StackId'))
          .map(([key, value]) => `${id}.${key} = ${JSON.stringify(value)}`),
      );
    expect(fixed).toEqual([]);
  });

  it('names each state machine log group after the stack instance, under /aws/vendedlogs/', () => {
    const named = resources.filter(
      ([, r]) => r.Type === 'AWS::Logs::LogGroup' && r.Properties?.LogGroupName !== undefined,
    );
    expect(named.length).toBeGreaterThan(0);
    for (const [, r] of named) {
      const name = JSON.stringify(r.Properties?.LogGroupName);
      expect(name).toContain('/aws/vendedlogs/states/');
      expect(name).toContain('AWS::StackId');
    }
  });
});
