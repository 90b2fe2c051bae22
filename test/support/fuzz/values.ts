import fc from 'fast-check';

/** Hostile values the fuzz puts anywhere: strings, JSON texts, bytes, names and encodings. */

/**
 * Names every plain JavaScript object inherits (and a few spellings of them): as a header or
 * query-parameter name each must be just a name, never a property lookup's inherited value.
 */
export const prototypeName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('Constructor', '__PROTO__', 'isPrototypeOf', '__defineGetter__'),
  },
);

/** One to three `name=value` pairs with prototype names, repeats allowed. */
export const prototypeQuery = fc
  .array(fc.tuple(prototypeName, fc.constantFrom('1', '', 'x', '%7B%7D')), {
    minLength: 1,
    maxLength: 3,
  })
  .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&'));

/** Strings a hostile client tries in text fields, ids and headers. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    'a\r\nBcc: x@evil.test',
    '\u202eevil',
    'x\u0000y',
    '\ud800',
    '\udfff\ud800',
    '\ufeff{}',
    '',
    ' ',
    '__proto__',
    'constructor',
    '%',
    '%zz',
    '%ED%A0%80',
    '../..',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 3000, maxLength: 70_000 }).map((s) => s.slice(0, 70_000)),
);

/** JSON text no parser should choke on: deep, prototype/empty/duplicate keys, odd numbers. */
export const hostileJsonText = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((d) => `${'['.repeat(d)}1${']'.repeat(d)}`),
  fc.integer({ min: 1, max: 70 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":1},"toString":2,"hasOwnProperty":3}',
    '{"":1,"":2}',
    '{"a":1,"a":2}',
    '[1e400,-1e400,1e-400,123456789012345678901234567890,-0,0.1]',
    '"\\ud800\\udc00\\ud800"',
    '"\\u0000\\u202e"',
    '{"k":"é東京☕"}',
    'null',
  ),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
);

/**
 * Byte sequences that are not UTF-8: a byte UTF-8 never uses, an encoded surrogate, an overlong
 * `/`, a truncated three-byte sequence, a latin-1 `é`, a lone continuation byte, a code point
 * past U+10FFFF, a UTF-16 byte order mark.
 */
export const notUtf8 = fc.constantFrom(
  ...[
    [0xff],
    [0xed, 0xa0, 0x80],
    [0xc0, 0xaf],
    [0xe2, 0x82],
    [0xe9],
    [0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xfe, 0xff],
  ].map((bytes) => Buffer.from(bytes)),
);

/**
 * Percent-encodes any string, lone surrogates included: `encodeURIComponent` throws on those, so
 * a lone surrogate is sent as the three bytes a lax encoder would write (e.g. `%ED%A0%80`), which
 * is exactly the kind of path a hostile client sends.
 */
export const percentEncode = (value: string): string =>
  Array.from(value, (char) => {
    const unit = char.charCodeAt(0);
    if (char.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(char);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join('');
  }).join('');

/**
 * Percent-encodes one ASCII character of a value (the one at `at`, modulo its length) or all of
 * them (`at` undefined), in upper- or lower-case hex: the same value, spelled otherwise.
 */
export const overEncode = (value: string, at: number | undefined, lower = false): string =>
  Array.from(value, (char, i) => {
    if (at !== undefined && i !== at % value.length) return char;
    const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
    return `%${lower ? hex : hex.toUpperCase()}`;
  }).join('');

/** Changes one character of a value (a tampered id or cursor). */
export const tamper = (value: string, at: number): string => {
  if (value === '') return 'x';
  const i = at % value.length;
  return `${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`;
};

/**
 * Amounts that are not integers yet round to one as a float (`100.0000000000000001` is 100 to
 * JSON.parse), beside exact integers in other spellings (`1e2`, `100.0`).
 */
export const roundingAmount = fc.constantFrom(
  '99999999.0000000001',
  '0.99999999999999999999e2',
  '100.0000000000000001',
  '99.99999999999999999',
  '1e2',
  '1E+2',
  '100.0',
  '10000e-2',
  '100000000.0000000001',
);
