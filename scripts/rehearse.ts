/**
 * `npm run rehearse [-- --assembly DIR]`: what `cdk deploy` would ship, run locally. Synthesizes
 * the app (unless given an assembly), starts the twin from the assembly's bundled functions and
 * rendered state machines with every AWS call checked against the template's IAM policies, and
 * drives every capability through the HTTP API. Exit code 1 when any step fails.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rehearse, synthesize } from './rehearse/run.ts';

const { values } = parseArgs({ options: { assembly: { type: 'string' } } });
const began = Date.now();
let assembly = values.assembly;
if (!assembly) {
  console.log('Synthesizing the app (cdk synth)…');
  assembly = synthesize();
  console.log(`Synthesized into ${assembly} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
}
const run = await rehearse({ assembly: resolve(assembly), chdir: true });
const passed = run.results.filter((r) => r.ok).length;
const failed = run.results.length - passed;
console.log(
  `Twin from ${assembly}: ${run.counts.functions} bundled functions, ${run.counts.stateMachines} state machines, started in ${(run.startMs / 1000).toFixed(1)} s; tour ${(run.tourMs / 1000).toFixed(1)} s`,
);
console.log(
  `IAM: ${run.access.checked} AWS calls checked (${[...run.access.allowed].map(([a, n]) => `${a} ×${n}`).join(', ')}), ${run.access.denials.length} refused`,
);
console.log(`Function logs: ${run.logFile}`);
console.log(
  `${passed} passed, ${failed} failed (${((Date.now() - began) / 1000).toFixed(0)} s in all)`,
);
process.exit(failed > 0 ? 1 : 0);
