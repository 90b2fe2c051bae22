import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../../../scripts/generated-docs.ts';

describe('generated docs', () => {
  it.each(generatedDocs())('%s matches its source (run `npm run docs` if not)', (path, text) => {
    expect(existsSync(path), `${path} is missing`).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
