import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && f !== 'package-lock.json' && existsSync(join(root, f)));
const text = (file: string) => readFileSync(join(root, file), 'utf8');

describe('the repository stands on its own', () => {
  it('cites no document outside it', () => {
    const outside =
      /\.\.\/shared|DESIGN §|DESIGN\.md|seeds?\/|seed 00[0-9]|US-0[0-9]{2}|[Ii]ssue #?[0-9]+/;
    const hits = tracked
      .filter(
        (f) => /\.(ts|md|json|cjs|mjs)$/.test(f) && f !== 'test/unit/docs/self-contained.test.ts',
      )
      .filter((f) => outside.test(text(f)));
    expect(hits).toEqual([]);
  });

  it('links from Markdown only to files that exist in the repository', () => {
    const broken: string[] = [];
    for (const file of tracked.filter((f) => f.endsWith('.md'))) {
      for (const [, target] of text(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!target || /^https?:/.test(target)) continue;
        if (!existsSync(resolve(root, dirname(file), target))) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
