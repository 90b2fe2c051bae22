/**
 * Looks at JSON text without building it, in loops rather than recursion, so no input can
 * overflow the stack: the depth check runs before JSON.parse and schema validation, which both
 * recurse per level of nesting.
 */

/** Deepest nesting a request body may have (objects and arrays, the top level counts as 1). */
export const MAX_JSON_DEPTH = 64;

/**
 * Calls `visit` with every character outside JSON strings (the quotes themselves excluded), in
 * order, until it returns true; says whether it did.
 */
const someOutsideStrings = (
  text: string,
  visit: (code: number, at: number) => boolean,
): boolean => {
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (visit(c, i)) return true;
  }
  return false;
};

/**
 * True when brackets nest deeper than `limit`. Brackets inside strings do not count; the text
 * need not be valid JSON (invalid text fails the parse that follows anyway).
 */
export const nestsDeeperThan = (text: string, limit: number): boolean => {
  let depth = 0;
  return someOutsideStrings(text, (c) => {
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth -= 1;
    return depth > limit;
  });
};

/**
 * The first number in the JSON text written with a fraction or an exponent (`100.0`, `1e2`,
 * `99999999.0000000001`), or undefined: such a literal may name a whole number only after rounding
 * to a double, so a field of whole numbers refuses it rather than store what the client did not
 * write. Strings are skipped; `true`/`false` are not numbers, so only an `e` inside a number
 * counts.
 */
export const fractionalNumber = (text: string): string | undefined => {
  let start = -1;
  let found: string | undefined;
  someOutsideStrings(text, (c, at) => {
    const inNumber = start >= 0;
    if (inNumber && (c === DOT || c === LOWER_E || c === UPPER_E)) {
      found = text.slice(start).match(/^-?\d+(?:\.\d*)?(?:[eE][+-]?\d*)?/)?.[0];
      return true;
    }
    start = c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9) ? (inNumber ? start : at) : -1;
    return false;
  });
  return found;
};

/**
 * The text of member `name` of the top-level object in valid JSON `text`, with whitespace outside
 * strings removed; undefined when there is no such member. Keys are compared after unescaping
 * (`"d\u0061ta"` is `data`) and the last duplicate wins, as with JSON.parse.
 */
export const memberText = (text: string, name: string): string | undefined => {
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  let expectKey = false;
  let key: string | undefined;
  let valueStart = -1;
  let found: [number, number] | undefined;
  const closeValue = (end: number) => {
    if (key === name && valueStart >= 0) found = [valueStart, end];
    key = undefined;
    valueStart = -1;
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) {
        inString = false;
        if (expectKey && depth === 1) {
          key = JSON.parse(text.slice(stringStart, i + 1)) as string;
          expectKey = false;
        }
      }
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth === 1) expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 1) closeValue(i);
      depth -= 1;
    } else if (depth === 1 && c === COLON) valueStart = i + 1;
    else if (depth === 1 && c === COMMA) {
      closeValue(i);
      expectKey = true;
    }
  }
  return found ? compactJson(text.slice(found[0], found[1])) : undefined;
};

/** Valid JSON text without the whitespace outside its strings: the same value, one spelling. */
export const compactJson = (text: string): string => {
  let out = '';
  let from = 0;
  someOutsideStrings(text, (c, at) => {
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      out += text.slice(from, at);
      from = at + 1;
    }
    return false;
  });
  return out + text.slice(from);
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
