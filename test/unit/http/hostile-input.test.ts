import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chargeBody,
  createKeyBody,
  createProjectBody,
  pageQuery,
  postEventBody,
  putActivityBody,
} from '../../../lambdas/http/schemas.ts';
import {
  idempotencyKeyHeader,
  idempotencyKeyOf,
  parseIdempotencyKey,
} from '../../../lambdas/lib/http/idempotency-key.ts';
import {
  compactJson,
  fractionalNumber,
  MAX_JSON_DEPTH,
  memberText,
  nestsDeeperThan,
} from '../../../lambdas/lib/http/json-text.ts';
import { readJsonBody } from '../../../lambdas/lib/http/request.ts';
import { HttpError } from '../../../lambdas/lib/http/response.ts';

const event = (body: string | null, headers: Record<string, string> = {}, multi?: object) =>
  ({
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
    multiValueHeaders: multi ?? null,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEvent;

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.problem.code : `not an HttpError: ${error}`;
  }
  return undefined;
};

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON depth', () => {
  it('refuses nesting past the limit before anything recursive runs, however deep', () => {
    const body = `{"type":"t","data":${nested(10_000)}}`; // 20 KB: under the body limit
    expect(codeOf(() => readJsonBody(event(body), postEventBody))).toBe('json_too_deep');
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(`["\\"${'['.repeat(100)}"]`, 2)).toBe(false);
  });

  it('accepts a body at exactly the limit', () => {
    const body = `{"type":"t","data":${nested(MAX_JSON_DEPTH - 1)}}`;
    expect(readJsonBody(event(body), postEventBody).type).toBe('t');
  });
});

describe('client JSON kept as text', () => {
  it('finds the member by its unescaped key; the last duplicate wins, as JSON.parse does', () => {
    const text = '{"data":1, "type":"x", "d\\u0061ta" : { "__proto__" : [ 1e400, "a b" ] } }';
    expect(memberText(text, 'data')).toBe('{"__proto__":[1e400,"a b"]}');
    expect(memberText('{"type":"x"}', 'data')).toBeUndefined();
    expect(memberText('{"x":{"data":1},"data":"}"}', 'data')).toBe('"}"');
  });

  it('keeps keys and numbers a parsed object would lose', () => {
    const data = '{"__proto__":{"a":1},"constructor":2,"":3,"n":123456789012345678901234567890}';
    const text = memberText(`{"type":"t","data":${data}}`, 'data') as string;
    expect(text).toBe(data);
    expect(Object.keys(JSON.parse(text))).toEqual(['__proto__', 'constructor', '', 'n']);
  });

  it('compacts only whitespace outside strings', () => {
    expect(compactJson('[ "a b\\" c" ,\n\t1 ]')).toBe('["a b\\" c",1]');
  });

  it('takes any data, numbers beyond float range included, but requires it', () => {
    expect(postEventBody.safeParse({ type: 't', data: Number.POSITIVE_INFINITY }).success).toBe(
      true,
    );
    expect(postEventBody.safeParse({ type: 't', data: null }).success).toBe(true);
    expect(postEventBody.safeParse({ type: 't' }).success).toBe(false);
  });
});

describe('text fields', () => {
  const unsafe = [
    'a\nb',
    'a\rb',
    'a\u0000',
    'a\u007f',
    'a\u202eb',
    'a\u2066b',
    '\tx',
    'a\ud800',
    '\udfffa',
  ];
  it.each(unsafe)('refuses %j in names, ids, urls and schedules', (bad) => {
    expect(createProjectBody.safeParse({ name: bad, ownerEmail: 'a@b.co' }).success).toBe(false);
    expect(createKeyBody.safeParse({ name: bad }).success).toBe(false);
    expect(chargeBody.safeParse({ amount: 1, currency: 'eur', customerId: bad }).success).toBe(
      false,
    );
    const activity = {
      misfirePolicy: 'skip',
      dedupeKeyStrategy: 'skip',
      tasks: [{ type: 'noop', count: 1 }],
    };
    expect(putActivityBody.safeParse({ ...activity, schedule: bad }).success).toBe(false);
    expect(putActivityBody.safeParse({ ...activity, schedule: 'rate(1 hour)' }).success).toBe(true);
  });

  it('accepts ordinary unicode text, astral characters included', () => {
    expect(
      createProjectBody.safeParse({ name: 'Café ☕ 東京 😀', ownerEmail: 'a@b.co' }).success,
    ).toBe(true);
  });

  it('keeps a name exactly as sent, but refuses a blank one', () => {
    const parsed = createProjectBody.safeParse({ name: '  Padded  ', ownerEmail: 'a@b.co' });
    expect(parsed.success && parsed.data.name).toBe('  Padded  ');
    expect(createProjectBody.safeParse({ name: '   ', ownerEmail: 'a@b.co' }).success).toBe(false);
    expect(createKeyBody.safeParse({ name: ' ' }).success).toBe(false);
  });
});

describe('Idempotency-Key as a Structured Field string', () => {
  it('reads the quoted and the bare form as the same key', () => {
    expect(parseIdempotencyKey('"abc"')).toBe('abc');
    expect(parseIdempotencyKey('abc')).toBe('abc');
    expect(parseIdempotencyKey('"a\\"b\\\\c"')).toBe('a"b\\c');
    expect(parseIdempotencyKey('"a, b"')).toBe('a, b');
  });

  it.each([
    '""',
    '"abc',
    '"a"b"',
    '"a\\x"',
    '"abc";p=1',
    '"a\u00e9"',
    '',
    'x'.repeat(256),
    'caf\u00e9',
    'a, b',
    'a,b',
    'p;x=1',
  ])('refuses %j', (value) => {
    expect(parseIdempotencyKey(value)).toBeUndefined();
    expect(codeOf(() => idempotencyKeyOf(event(null, { 'Idempotency-Key': value })))).toBe(
      'idempotency_key_invalid',
    );
  });

  it('refuses two headers, in any case and in either event field', () => {
    const twoSpellings = event(null, { 'Idempotency-Key': 'a', 'idempotency-key': 'a' });
    expect(codeOf(() => idempotencyKeyOf(twoSpellings))).toBe('idempotency_key_invalid');
    const multi = event(null, { 'Idempotency-Key': 'b' }, { 'IDEMPOTENCY-KEY': ['a', 'b'] });
    expect(codeOf(() => idempotencyKeyOf(multi))).toBe('idempotency_key_invalid');
    const one = event(null, { 'Idempotency-Key': '"k"' }, { 'Idempotency-Key': ['"k"'] });
    expect(idempotencyKeyOf(one)).toBe('k');
  });

  it('echoes every key as a header value that names the same key again', () => {
    for (const key of ['abc', ' s1 ', '   ', 'a"b', 'a, b', 'p;x=1', 'a\\b', 'x']) {
      expect(parseIdempotencyKey(idempotencyKeyHeader(key)), key).toBe(key);
    }
    expect(idempotencyKeyHeader('plain-uuid-like')).toBe('plain-uuid-like');
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          minLength: 1,
          maxLength: 255,
        }),
        (key) => parseIdempotencyKey(idempotencyKeyHeader(key)) === key,
      ),
    );
  });

  it('generates a key when none is sent', () => {
    expect(idempotencyKeyOf(event(null))).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('page query', () => {
  it('takes limit in plain decimal digits only, 1 to 100', () => {
    for (const limit of ['1', '50', '100', '007']) {
      expect(pageQuery.safeParse({ limit }).success, limit).toBe(true);
    }
    for (const limit of ['0', '101', '0x10', '0b11', '1e1', '+5', ' 5', '5 ', '1.0', '']) {
      expect(pageQuery.safeParse({ limit }).success, limit).toBe(false);
    }
    expect(pageQuery.parse({})).toEqual({ limit: 50 });
  });

  it('leaves every cursor to the cursor check, empty and odd ones included', () => {
    for (const cursor of ['', 'x\n', '\u202e', 'c'.repeat(5000)]) {
      expect(pageQuery.safeParse({ cursor }).success).toBe(true);
    }
  });
});

describe('whole numbers', () => {
  it('finds a fraction or exponent in any number, and nowhere else', () => {
    for (const [text, found] of [
      ['{"a":100.0}', '100.0'],
      ['[1e2]', '1e2'],
      ['{"a":99999999.0000000001}', '99999999.0000000001'],
      ['[7,-1E-3]', '-1E-3'],
      ['0.5', '0.5'],
    ]) {
      expect(fractionalNumber(text as string), text).toBe(found);
    }
    for (const text of ['{"a":100,"b":true,"c":false,"d":null}', '{"e.1":"1.5e3"}', '[-0,12]']) {
      expect(fractionalNumber(text), text).toBeUndefined();
    }
  });
});

describe('JSON text scanners agree with JSON.parse', () => {
  it('on generated JSON: compacting keeps the value, whole numbers have no fraction', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const pretty = JSON.stringify(value, null, 2);
        expect(JSON.parse(compactJson(pretty))).toEqual(JSON.parse(pretty));
        expect(nestsDeeperThan(pretty, 8)).toBe(false);
        const wholes = JSON.stringify(value, (_, v) => (typeof v === 'number' ? Math.trunc(v) : v));
        expect(fractionalNumber(wholes) !== undefined).toBe(
          /\d[.eE]/.test(wholes.replace(/"(?:[^"\\]|\\.)*"/g, '""')),
        );
      }),
    );
  });
});
