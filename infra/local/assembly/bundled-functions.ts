import { createWriteStream, type WriteStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { type LambdaHandler, LocalFunctions } from '../lambda/functions.ts';

/** One bundled function as the rehearsal runs it. */
export interface BundledFunction {
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The whole environment of its sandbox: Lambda's variables, the template's, the twin's overlay. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Runs in each worker: imports the bundle once (its module state stays in this worker, as in its
 * own Lambda sandbox) and answers invocations. Event and result cross as JSON text, as they cross
 * Lambda's API; an error crosses as its name and message (Lambda's errorType and errorMessage).
 * Plain JavaScript because workers do not inherit the twin's TypeScript loader.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const loaded = import(pathToFileURL(workerData.module).href).then((module) => {
  const handler = module[workerData.exportName];
  if (typeof handler !== 'function') throw new Error(workerData.module + ' exports no ' + workerData.exportName);
  return handler;
});
loaded.catch(() => undefined);
const fail = () => { throw new Error('Callback-style completion is not supported'); };
parentPort.on('message', async (message) => {
  try {
    const handler = await loaded;
    if (message.warm) return parentPort.postMessage({ id: message.id, result: 'null' });
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: workerData.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: workerData.arn,
      memoryLimitInMB: String(workerData.memoryMb),
      awsRequestId: message.requestId,
      logGroupName: '/aws/lambda/' + workerData.name,
      logStreamName: 'rehearsal',
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
      done: fail, fail, succeed: fail,
    };
    const result = await handler(JSON.parse(message.event), context);
    parentPort.postMessage({ id: message.id, result: JSON.stringify(result ?? null) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ id: message.id, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly result?: string;
  readonly error?: { name: string; message: string; stack?: string };
}

/** A function's sandbox: one worker thread, many invocations in flight (the twin's concurrency). */
class Sandbox {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private exited: Error | undefined;
  /** Settles once the bundle is imported (rejects when it cannot be). */
  readonly ready: Promise<unknown>;

  constructor(
    readonly spec: BundledFunction,
    arn: string,
    log: WriteStream,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...spec.environment },
      workerData: {
        module: spec.module,
        exportName: spec.exportName,
        name: spec.name,
        arn,
        memoryMb: spec.memoryMb,
      },
      // The function's memory bounds its heap, roughly as Lambda's sandbox bounds the process.
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMb },
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.pipe(log, { end: false });
    this.worker.stderr.pipe(log, { end: false });
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) =>
      this.fail(new Error(`${spec.name}'s sandbox exited (${code})`)),
    );
    this.ready = this.call({ warm: true });
    this.ready.catch(() => undefined);
  }

  call(message: {
    warm?: true;
    event?: string;
    requestId?: string;
    deadline?: number;
  }): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.error) {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      if (reply.error.stack) error.stack = reply.error.stack;
      waiting.reject(error);
    } else waiting.resolve(JSON.parse(reply.result ?? 'null'));
  }

  private fail(error: Error): void {
    this.exited ??= Object.assign(new Error(`Runtime.ExitError: ${error.message}`), {
      name: 'Runtime.ExitError',
    });
    for (const waiting of this.pending.values()) waiting.reject(this.exited);
    this.pending.clear();
  }
}

/**
 * The twin's Lambda service for a synthesized assembly: each function runs its bundle in a worker
 * of its own, with the template's environment, timeout and memory. Invocation, payload limits and
 * the timeout (`Sandbox.Timedout` while the handler runs on) are `LocalFunctions`' own.
 */
export class BundledFunctions extends LocalFunctions {
  private readonly specs: ReadonlyMap<string, BundledFunction>;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly log: WriteStream;

  constructor(
    functions: readonly BundledFunction[],
    private readonly arnOf: (name: string) => string,
    logFile: string,
    timeoutFactor = 1,
    /** Start a sandbox on its first invocation instead of all at start (a test that runs a few). */
    private readonly lazy = false,
  ) {
    super([], timeoutFactor);
    this.specs = new Map(functions.map((fn) => [fn.name, fn]));
    this.log = createWriteStream(logFile, { flags: 'a' });
    // Every sandbox pipes its output into this one stream.
    this.log.setMaxListeners(0);
  }

  override has(name: string): boolean {
    return this.specs.has(name);
  }

  override timeoutSeconds(name: string): number {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`The assembly has no function named ${name}`);
    return spec.timeoutSeconds;
  }

  /** Resolves once the bundle is imported, so a caller's timeout clock never counts the import. */
  override async load(name: string): Promise<LambdaHandler> {
    const sandbox = this.sandbox(name);
    if (!sandbox) throw new Error(`The assembly has no function named ${name}`);
    await sandbox.ready;
    return (event: unknown, context: Context) =>
      sandbox.call({
        event: JSON.stringify(event ?? null),
        requestId: context.awsRequestId,
        deadline: Date.now() + context.getRemainingTimeInMillis(),
      });
  }

  /** Starts every sandbox and waits until each bundle is imported; a bundle that fails to load fails this. */
  override async warm(): Promise<void> {
    if (this.lazy) return;
    await Promise.all(
      [...this.specs.keys()].map(async (name) => {
        try {
          await this.sandbox(name)?.ready;
        } catch (error) {
          throw new Error(`${name}: its bundle does not load: ${(error as Error).message}`);
        }
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sandboxes.values()].map((sandbox) => sandbox.stop()));
    this.sandboxes.clear();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private sandbox(name: string): Sandbox | undefined {
    let sandbox = this.sandboxes.get(name);
    const spec = this.specs.get(name);
    if (!sandbox && spec) {
      sandbox = new Sandbox(spec, this.arnOf(name), this.log);
      this.sandboxes.set(name, sandbox);
    }
    return sandbox;
  }
}
