import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../infra/local/lambda/functions.ts';
import { synthesize } from '../../scripts/rehearse/run.ts';

/** What `cdk synth` reads: the app (not the twin), the handlers, the ASL files, the lockfile. */
const INPUTS = [
  'infra',
  'lambdas',
  'statemachines',
  'package-lock.json',
  'cdk.json',
  'tsconfig.json',
];

const filesUnder = (path: string): string[] => {
  if (relative(REPO_ROOT, path).startsWith(join('infra', 'local'))) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
};

/** A digest of every synth input, so a cached assembly is reused only while nothing changed. */
export const synthInputsDigest = (): string => {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(REPO_ROOT, input)))) {
    hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
};

/**
 * A synthesized cloud assembly of the current sources: `RETRYSAFE_ASSEMBLY` when set, else one
 * cached under node_modules/.cache keyed by the digest of the synth inputs, synthesized (a few
 * minutes, with real esbuild bundling) when the cache has none. Written aside and renamed, so a
 * concurrent run never reads half an assembly.
 */
export const cachedAssembly = (): string => {
  const given = process.env.RETRYSAFE_ASSEMBLY;
  if (given) return given;
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'retrysafe-assembly');
  const directory = join(cache, synthInputsDigest());
  if (existsSync(join(directory, 'manifest.json'))) return directory;
  mkdirSync(cache, { recursive: true });
  const scratch = `${directory}.${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  synthesize(scratch);
  if (!existsSync(join(directory, 'manifest.json'))) renameSync(scratch, directory);
  else rmSync(scratch, { recursive: true, force: true });
  return directory;
};
