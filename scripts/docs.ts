/**
 * `npm run docs`: regenerates what docs/ derives from code — one Mermaid diagram per state machine
 * file and the OpenAPI document (docs/openapi.json). `test/unit/docs/generated.test.ts` fails when a
 * committed file differs from what this script would write.
 */
import { writeFileSync } from 'node:fs';
import { generatedDocs } from './generated-docs.ts';

for (const [path, text] of generatedDocs()) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
