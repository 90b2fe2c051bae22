import { afterAll, beforeAll } from 'vitest';

/**
 * Records everything the process writes to stdout and stderr while this test file runs (the
 * twin's handlers log there, as Lambda functions do), still passing it through. Returns the
 * chunks written so far, oldest first.
 */
export const captureOutput = (): string[] => {
  const chunks: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  beforeAll(() => {
    const capture =
      (original: typeof process.stdout.write) =>
      (chunk: unknown, ...rest: unknown[]): boolean => {
        chunks.push(String(chunk));
        return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
      };
    process.stdout.write = capture(writes.out) as typeof process.stdout.write;
    process.stderr.write = capture(writes.err) as typeof process.stderr.write;
  });
  afterAll(() => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  });
  return chunks;
};
