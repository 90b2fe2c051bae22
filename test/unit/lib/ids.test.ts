import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base32,
  executionName,
  isProjectId,
  isValidIdempotencyKey,
  projectIdFor,
} from '../../../lambdas/lib/ids.ts';

describe('ids', () => {
  it('encodes base32 as RFC 4648 does, lowercase and unpadded', () => {
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    expect(base32(Buffer.from('f'))).toBe('my');
  });

  it('derives the same project id for the same caller and key, and different ids otherwise', () => {
    const id = projectIdFor('admin', 'key-1');
    expect(isProjectId(id)).toBe(true);
    expect(projectIdFor('admin', 'key-1')).toBe(id);
    expect(projectIdFor('project:p1', 'key-1')).not.toBe(id);
    expect(projectIdFor('admin', 'key-2')).not.toBe(id);
  });

  it('does not let a caller/key split collide with another (parts are separated)', () => {
    expect(projectIdFor('ab', 'c')).not.toBe(projectIdFor('a', 'bc'));
  });

  it('accepts 1–255 printable ASCII characters as an Idempotency-Key and nothing else', () => {
    expect(isValidIdempotencyKey(' ~')).toBe(true);
    expect(isValidIdempotencyKey('k'.repeat(255))).toBe(true);
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('k'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey('tab\t')).toBe(false);
    expect(isValidIdempotencyKey('é')).toBe(false);
  });

  it('keeps a safe execution name as {prefix}-{id}', () => {
    expect(executionName('provision', 'prj_abc')).toBe('provision-prj_abc');
  });

  it('always yields a valid, ≤ 80-character name, distinct for distinct logical ids', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
        const nameA = executionName('run', a);
        expect(nameA).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        if (a !== b) expect(executionName('run', b)).not.toBe(nameA);
      }),
    );
  });

  it('shortens long or unsafe ids with a hash and keeps a readable prefix', () => {
    const name = executionName('activity', `act:${'x'.repeat(100)}:2026-03-01T09:00:00Z`);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name.startsWith('activity-act_xxx')).toBe(true);
  });
});
