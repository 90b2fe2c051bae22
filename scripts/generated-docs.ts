import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aslToMarkdown } from './asl-mermaid.ts';

const root = join(import.meta.dirname, '..');

/** Every generated doc as [path, text]; the script writes them, the test compares them. */
export const generatedDocs = (): [string, string][] => {
  const docs: [string, string][] = [];
  for (const file of readdirSync(join(root, 'statemachines')).sort()) {
    if (!file.endsWith('.asl.json')) continue;
    const definition = JSON.parse(readFileSync(join(root, 'statemachines', file), 'utf8'));
    const name = file.replace(/\.asl\.json$/, '');
    docs.push([join(root, 'docs', 'statemachines', `${name}.md`), aslToMarkdown(file, definition)]);
  }
  return docs;
};
