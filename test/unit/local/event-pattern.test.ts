import { describe, expect, it } from 'vitest';
import {
  assertSupportedPattern,
  matchesPattern,
} from '../../../infra/local/eventbridge/event-pattern.ts';
import type { EventPattern } from '../../../lambdas/lib/event-rules.ts';

const event = {
  source: 'retrysafe.events',
  'detail-type': 'order.paid',
  resources: ['arn:aws:x:::a', 'arn:aws:x:::b'],
  detail: { projectId: 'prj_a', amount: 100, note: null, nested: { flag: true } },
};

describe('the twin bus pattern subset', () => {
  it.each([
    ['an exact value', { source: ['retrysafe.events'] }, true],
    ['any of several values', { source: ['other', 'retrysafe.events'] }, true],
    ['a different value', { source: ['other'] }, false],
    ['a prefix', { 'detail-type': [{ prefix: 'order.' }] }, true],
    ['a prefix that does not match', { 'detail-type': [{ prefix: 'user.' }] }, false],
    ['a nested detail field', { detail: { projectId: ['prj_a'] } }, true],
    ['a number with its JSON type', { detail: { amount: [100] } }, true],
    ['a number given as a string', { detail: { amount: ['100'] } }, false],
    ['null', { detail: { note: [null] } }, true],
    ['a deeper nested field', { detail: { nested: { flag: [true] } } }, true],
    ['exists on a present leaf', { detail: { projectId: [{ exists: true }] } }, true],
    ['exists on an absent field', { detail: { missing: [{ exists: true }] } }, false],
    ['exists:false on an absent field', { detail: { missing: [{ exists: false }] } }, true],
    ['exists on an object (not a leaf)', { detail: { nested: [{ exists: true }] } }, false],
    ['an element of an event array', { resources: ['arn:aws:x:::b'] }, true],
    ['every field (AND)', { source: ['retrysafe.events'], detail: { projectId: ['b'] } }, false],
    ['a nested pattern against a leaf', { source: { inner: ['x'] } }, false],
  ] as [string, EventPattern, boolean][])('matching %s → %s', (_, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it.each([
    ['anything-but', { source: [{ 'anything-but': 'x' }] }],
    ['numeric', { detail: { amount: [{ numeric: ['>', 0] }] } }],
    ['an empty list', { source: [] }],
    ['a bare value', { source: 'x' }],
  ])('refuses a rule that uses %s, loudly', (_, pattern) => {
    expect(() => assertSupportedPattern(pattern as unknown as EventPattern, 'R')).toThrow(/Rule R/);
  });
});
