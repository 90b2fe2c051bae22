/**
 * zod as the Lambdas use it: `zod/mini` with zod's English messages; import it as
 * `import * as z from '#lib/zod.ts'`. A thin wrapper because the classic `zod` entry re-exports
 * every locale as a namespace (`export * as locales`), which esbuild cannot tree-shake: ~420 KB of
 * each function's ~1 MB bundle (esbuild metafile). Mini with `en` alone is ~18 KB and reports the
 * same issues with the same messages. Re-export with `export *`, never as a namespace value: a
 * re-exported namespace object makes esbuild keep all of it, locales included.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
