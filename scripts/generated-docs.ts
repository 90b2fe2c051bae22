import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiDocument } from '../lambdas/http/api-document.ts';
import { matrixMarkdown } from '../test/support/fault-matrix/cells.ts';
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
  // The document GET /v1/openapi.json serves, for readers of the repository.
  docs.push([join(root, 'docs', 'openapi.json'), `${JSON.stringify(apiDocument(), null, 2)}\n`]);
  // The fault matrix's cells and documented exceptions; test/faults/fault-matrix.test.ts runs them.
  docs.push([join(root, 'docs', 'fault-matrix.md'), matrixMarkdown()]);
  return docs;
};
