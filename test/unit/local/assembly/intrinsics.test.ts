import { describe, expect, it } from 'vitest';
import { resolveIntrinsics } from '../../../../infra/local/assembly/intrinsics.ts';

const lookup = (id: string) =>
  ({
    Table: {
      ref: 'local-table',
      attributes: { Arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/local-table' },
    },
    'AWS::Region': { ref: 'us-east-1' },
  })[id];

describe('intrinsics', () => {
  it('resolves Ref, GetAtt, Join, Sub, Select, Split and ImportValue', () => {
    expect(
      resolveIntrinsics(
        {
          // biome-ignore-start lint/suspicious/noTemplateCurlyInString: Fn::Sub's own ${} syntax.
          a: { Ref: 'Table' },
          b: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/gsi1']] },
          c: { 'Fn::Sub': ['dynamodb.${AWS::Region}.amazonaws.com ${x}', { x: { Ref: 'Table' } }] },
          d: { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] },
          e: { 'Fn::ImportValue': 'Shared-Table' },
          f: { 'Fn::Sub': '${Table.Arn}' },
          // biome-ignore-end lint/suspicious/noTemplateCurlyInString: Fn::Sub's own ${} syntax.
        },
        lookup,
        { 'Shared-Table': 'imported' },
      ),
    ).toEqual({
      a: 'local-table',
      b: 'arn:aws:dynamodb:us-east-1:000000000000:table/local-table/index/gsi1',
      c: 'dynamodb.us-east-1.amazonaws.com local-table',
      d: 'b',
      e: 'imported',
      f: 'arn:aws:dynamodb:us-east-1:000000000000:table/local-table',
    });
  });

  it('names what it cannot resolve', () => {
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, lookup)).toThrow('Ref Missing');
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Table', 'StreamArn'] }, lookup)).toThrow(
      'Table.StreamArn',
    );
    expect(() => resolveIntrinsics({ 'Fn::If': ['c', 1, 2] }, lookup)).toThrow('Fn::If');
  });
});
