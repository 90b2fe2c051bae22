import { describe, expect, it } from 'vitest';
import { openCursor, sealCursor } from '../../../lambdas/lib/http/cursors.ts';
import { HttpError } from '../../../lambdas/lib/http/response.ts';

const key = Buffer.from('k'.repeat(32));
const token = Buffer.from(JSON.stringify({ pk: 'P', sk: 'S' })).toString('base64url');

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.problem.code : String(error);
  }
  return undefined;
};

describe('signed cursors', () => {
  it('round-trips a page token for the list it was made for', () => {
    expect(openCursor(key, 'audit:a', sealCursor(key, 'audit:a', token))).toBe(token);
  });

  it('refuses an altered, truncated, borrowed, re-keyed or forged cursor', () => {
    const cursor = sealCursor(key, 'audit:a', token);
    const flip = (s: string, i: number) =>
      `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    const bad = [
      flip(cursor, 5),
      flip(cursor, cursor.length - 2),
      cursor.slice(0, -1),
      `${cursor}=`,
      `${cursor}.x`,
      token,
      '',
      'c1..',
    ];
    for (const forged of bad)
      expect(codeOf(() => openCursor(key, 'audit:a', forged))).toBe('invalid_cursor');
    expect(codeOf(() => openCursor(key, 'audit:b', cursor))).toBe('invalid_cursor');
    expect(codeOf(() => openCursor(Buffer.from('x'), 'audit:a', cursor))).toBe('invalid_cursor');
  });
});
