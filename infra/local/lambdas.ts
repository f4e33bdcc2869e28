import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { functionArn } from './account.ts';
import type { InvokeMessage, RuntimeData, RuntimeMessage } from './lambda-runtime.ts';
import { emfSplitter, type LocalMetric } from './metrics.ts';
import type { LocalFunction } from './template.ts';

/**
 * Local only (tests): make the next `times` invocations of a function whose event contains
 * `contains` fail — `before` the handler runs, or `after` it ran (a crash after its side
 * effects, the case that tests exactly-once behaviour).
 */
export interface Fault {
  entry: string;
  handler?: string;
  contains: string;
  when: 'before' | 'after';
  times: number;
}

/** The injected faults that have not fired yet. */
export class Faults {
  readonly #faults: Fault[] = [];

  inject(fault: Fault): void {
    this.#faults.push({ ...fault });
  }

  /** How many injected failures matching `contains` have not happened yet. */
  left(contains: string): number {
    return this.#faults.filter((f) => f.contains === contains).reduce((n, f) => n + f.times, 0);
  }

  /** Throws the injected failure due for this invocation, if any (and counts it as fired). */
  fire(fn: { entry: string; handler: string }, payload: string, when: Fault['when']): void {
    const fault = this.#faults.find(
      (f) =>
        f.times > 0 &&
        f.when === when &&
        f.entry === fn.entry &&
        (f.handler === undefined || f.handler === fn.handler) &&
        payload.includes(f.contains),
    );
    if (!fault) return;
    fault.times--;
    throw new InvocationError('Injected', `Injected fault ${when} the handler`);
  }
}

/** What runs the functions, for the API front, the state machines and the control endpoint. */
export interface FunctionRunner {
  invoke(logicalId: string, event: unknown): Promise<unknown>;
  idOf(functionRef: string): string;
  injectFault(fault: Fault): void;
  faultsLeft(contains: string): number;
  readonly reports: InvocationReport[];
  /** The metrics the functions' EMF log lines made (infra/local/metrics.ts). */
  readonly metrics: LocalMetric[];
  stop(): Promise<void>;
}

/** The error a Lambda invocation ends with, named like the runtime names it (`errorType`). */
export class InvocationError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

/** One invocation, as Lambda's REPORT log line describes it. */
export interface InvocationReport {
  functionName: string;
  requestId: string;
  durationMs: number;
  billedMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start: how long the init phase (loading the handler module) took. */
  initMs?: number;
  /** How the invocation ended: success, or the error type. */
  outcome: string;
}

/** Lambda's synchronous invocation limits: 6 MB in, 6 MB out. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** How long an idle execution environment is kept before it is reclaimed. */
const IDLE_MS = 10 * 60_000;
/** Execution environments per function at most (further invocations wait for one). */
const MAX_ENVIRONMENTS = 10;

export interface LocalLambdasOptions {
  /**
   * What runs: `source` — the local build of the sources (infra/local/bundle.ts), by entry;
   * `bundled` — the assets of a template synthesized with bundling (what a deployment uploads).
   */
  code: { source: Map<string, string> } | 'bundled';
  /** Where V8 may keep compiled code between runs (shorter cold starts). */
  compileCache?: string;
  /** The environment a function's execution environment gets: its template's plus the runtime's. */
  environmentOf(fn: LocalFunction): Record<string, string>;
  onReport?(report: InvocationReport): void;
}

interface Environment {
  worker: Worker;
  busy: boolean;
  /** Settles when the init phase has ended (initMs), or rejects with the init error. */
  ready: Promise<number>;
  /** Set until the first invocation has reported it (the cold start). */
  pendingInitMs?: number;
  idleTimer?: NodeJS.Timeout;
  current?: { requestId: string; settle: (message: RuntimeMessage | Error) => void };
}

const RUNTIME = new URL('./lambda-runtime.ts', import.meta.url);

/**
 * Runs the functions of the synthesized template, each in execution environments of its own
 * (worker threads), created on first use and reused like Lambda's: a function sees only its own
 * environment variables, keeps its module state between invocations, is cut off at its Timeout
 * ("Task timed out", the environment discarded), and its memory size bounds its heap.
 */
export class LocalLambdas implements FunctionRunner {
  readonly #functions: Map<string, LocalFunction>;
  readonly #options: LocalLambdasOptions;
  readonly #environments = new Map<string, Environment[]>();
  readonly #waiting = new Map<string, (() => void)[]>();
  readonly #faults = new Faults();
  /** The latest invocation reports (newest last), for the local control endpoint. */
  readonly reports: InvocationReport[] = [];
  readonly metrics: LocalMetric[] = [];
  /** Totals since the start: invocations, cold starts and the time their init phases took. */
  readonly totals = { invocations: 0, coldStarts: 0, initMs: 0 };

  constructor(functions: Map<string, LocalFunction>, options: LocalLambdasOptions) {
    this.#functions = functions;
    this.#options = options;
  }

  get functions(): ReadonlyMap<string, LocalFunction> {
    return this.#functions;
  }

  injectFault(fault: Fault): void {
    this.#faults.inject(fault);
  }

  faultsLeft(contains: string): number {
    return this.#faults.left(contains);
  }

  has(logicalId: string): boolean {
    return this.#functions.has(logicalId);
  }

  idOf(functionRef: string): string {
    return functionIdOf(this.#functions, functionRef);
  }

  /**
   * Starts an execution environment of the function and runs its init phase (loading its
   * module) without invoking it. Resolves with the init time, or rejects with the init error.
   */
  async initialize(logicalId: string): Promise<number> {
    const fn = this.#function(logicalId);
    const environment = this.#start(fn);
    try {
      const initMs = await environment.ready;
      this.#release(fn, environment);
      return initMs;
    } catch (error) {
      this.#discard(fn, environment);
      throw error;
    }
  }

  async invoke(logicalId: string, event: unknown): Promise<unknown> {
    const fn = this.#function(logicalId);
    const payload = JSON.stringify(event ?? null);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new InvocationError(
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    this.#faults.fire(fn, payload, 'before');
    const requestId = randomUUID();
    const environment = await this.#acquire(fn);
    let initMs: number;
    try {
      initMs = await environment.ready;
    } catch (error) {
      this.#discard(fn, environment);
      // Always a deployment bug (a variable or module missing): said loudly, as Lambda logs it.
      process.stderr.write(
        `[local] ${fn.logicalId} failed to initialize: ${(error as Error).name}: ${(error as Error).message}\n`,
      );
      this.#report({
        functionName: fn.logicalId,
        requestId,
        durationMs: 0,
        billedMs: 0,
        memorySize: fn.memorySize,
        maxMemoryUsedMb: 0,
        outcome: `Runtime.InitError (${(error as Error).name})`,
      });
      throw error;
    }
    const coldStart = environment.pendingInitMs !== undefined;
    delete environment.pendingInitMs;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<RuntimeMessage | Error>((resolve) => {
      environment.current = { requestId, settle: resolve };
      timer = setTimeout(() => {
        resolve(
          new InvocationError(
            'Sandbox.Timedout',
            `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
          ),
        );
      }, fn.timeoutSeconds * 1000);
      const message: InvokeMessage = {
        type: 'invoke',
        requestId,
        event: payload,
        deadline: Date.now() + fn.timeoutSeconds * 1000,
      };
      environment.worker.postMessage(message);
    });
    clearTimeout(timer);
    delete environment.current;
    const durationMs = performance.now() - started;
    const result = outcome instanceof Error ? undefined : outcome;
    const failure =
      outcome instanceof Error
        ? outcome
        : result?.type === 'done' && !result.ok
          ? new InvocationError(result.errorType ?? 'Error', result.errorMessage ?? '')
          : undefined;
    this.#report({
      functionName: fn.logicalId,
      requestId,
      durationMs,
      billedMs: Math.max(1, Math.ceil(durationMs)),
      memorySize: fn.memorySize,
      maxMemoryUsedMb: result?.type === 'done' ? result.maxMemoryMb : 0,
      ...(coldStart ? { initMs } : {}),
      outcome: failure ? failure.name : 'success',
    });
    // A timed-out or crashed environment is gone; the next invocation starts a new one.
    if (outcome instanceof Error) this.#discard(fn, environment);
    else this.#release(fn, environment);
    if (failure) throw failure;
    const response = result?.type === 'done' ? (result.payload ?? 'null') : 'null';
    if (Buffer.byteLength(response) > MAX_RESPONSE_BYTES) {
      throw new InvocationError(
        'Function.ResponseSizeTooLarge',
        `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      );
    }
    this.#faults.fire(fn, payload, 'after');
    return JSON.parse(response) as unknown;
  }

  /** Ends every execution environment (on shutdown). */
  async stop(): Promise<void> {
    const all = [...this.#environments.values()].flat();
    this.#environments.clear();
    await Promise.all(all.map((e) => e.worker.terminate().catch(() => undefined)));
  }

  #function(logicalId: string): LocalFunction {
    const fn = this.#functions.get(logicalId);
    if (!fn) throw new Error(`No local function ${logicalId}`);
    return fn;
  }

  #report(report: InvocationReport): void {
    this.totals.invocations++;
    if (report.initMs !== undefined) {
      this.totals.coldStarts++;
      this.totals.initMs += report.initMs;
    }
    this.reports.push(report);
    if (this.reports.length > 1000) this.reports.shift();
    this.#options.onReport?.(report);
  }

  async #acquire(fn: LocalFunction): Promise<Environment> {
    for (;;) {
      const pool = this.#environments.get(fn.logicalId) ?? [];
      const idle = pool.find((e) => !e.busy);
      if (idle) {
        idle.busy = true;
        clearTimeout(idle.idleTimer);
        return idle;
      }
      if (pool.length < MAX_ENVIRONMENTS) return this.#start(fn);
      await new Promise<void>((resolve) => {
        const queue = this.#waiting.get(fn.logicalId) ?? [];
        queue.push(resolve);
        this.#waiting.set(fn.logicalId, queue);
      });
    }
  }

  #start(fn: LocalFunction): Environment {
    const { code } = this.#options;
    const file =
      code === 'bundled' ? join(fn.asset ?? missingAsset(fn), 'index.mjs') : code.source.get(fn.entry);
    if (!file) throw new Error(`${fn.logicalId}: no local build of ${fn.entry}`);
    const data: RuntimeData = {
      module: pathToFileURL(file).href,
      ...(this.#options.compileCache ? { compileCache: this.#options.compileCache } : {}),
      handler: fn.handler,
      functionName: fn.logicalId,
      functionArn: functionArn(fn.logicalId),
      memorySize: fn.memorySize,
      logGroupName: `/aws/lambda/${fn.logicalId}`,
      logStreamName: `local/${randomUUID()}`,
    };
    const worker = new Worker(RUNTIME, {
      workerData: data,
      env: this.#options.environmentOf(fn),
      execArgv: [],
      // The function's memory size bounds its heap, as it bounds the whole sandbox in Lambda.
      resourceLimits: { maxOldGenerationSizeMb: fn.memorySize },
      // Its output is copied over by hand: dozens of workers piped into this process's stdout
      // would each add listeners to it.
      stdout: true,
      stderr: true,
    });
    worker.stdout.on(
      'data',
      emfSplitter(
        fn.logicalId,
        (text) => process.stdout.write(text),
        (points) => {
          this.metrics.push(...points);
          if (this.metrics.length > 1000) this.metrics.splice(0, this.metrics.length - 1000);
        },
      ),
    );
    worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const environment: Environment = { worker, busy: true, ready: Promise.resolve(0) };
    environment.ready = new Promise<number>((resolve, reject) => {
      worker.on('message', (message: RuntimeMessage) => {
        if (message.type === 'ready') {
          environment.pendingInitMs = message.initMs;
          resolve(message.initMs);
        } else if (message.type === 'init-error') {
          reject(new InvocationError(message.errorType, message.errorMessage));
        } else if (message.type === 'done' && environment.current?.requestId === message.requestId) {
          environment.current.settle(message);
        }
      });
      worker.on('error', (error) => {
        const crash = new InvocationError(
          (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? 'Runtime.OutOfMemory'
            : 'Runtime.ExitError',
          error.message,
        );
        reject(crash);
        environment.current?.settle(crash);
      });
      worker.on('exit', (code) => {
        const exit = new InvocationError('Runtime.ExitError', `RequestId: exited with code ${code}`);
        reject(exit);
        environment.current?.settle(exit);
        this.#remove(fn, environment);
      });
    });
    environment.ready.catch(() => undefined);
    const pool = this.#environments.get(fn.logicalId) ?? [];
    pool.push(environment);
    this.#environments.set(fn.logicalId, pool);
    return environment;
  }

  #release(fn: LocalFunction, environment: Environment): void {
    environment.busy = false;
    environment.idleTimer = setTimeout(() => this.#discard(fn, environment), IDLE_MS);
    environment.idleTimer.unref();
    this.#waiting.get(fn.logicalId)?.shift()?.();
  }

  #discard(fn: LocalFunction, environment: Environment): void {
    clearTimeout(environment.idleTimer);
    this.#remove(fn, environment);
    void environment.worker.terminate().catch(() => undefined);
  }

  #remove(fn: LocalFunction, environment: Environment): void {
    const pool = this.#environments.get(fn.logicalId);
    if (!pool?.includes(environment)) return;
    pool.splice(pool.indexOf(environment), 1);
    this.#waiting.get(fn.logicalId)?.shift()?.();
  }
}

/** `arn:…:function:<logicalId>[:qualifier]` or the logical id itself → the function's logical id. */
export function functionIdOf(functions: ReadonlyMap<string, LocalFunction>, functionRef: string): string {
  const parts = functionRef.split(':');
  const id = parts.length >= 7 ? (parts[6] ?? functionRef) : functionRef;
  if (!functions.has(id)) throw new Error(`No local function ${functionRef}`);
  return id;
}

function missingAsset(fn: LocalFunction): never {
  throw new Error(`${fn.logicalId} has no bundled asset: synthesize with bundling to run bundled code`);
}

/** Lambda's REPORT line. */
export function reportLine(report: InvocationReport): string {
  return [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${report.billedMs} ms`,
    `Memory Size: ${report.memorySize} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
    ...(report.initMs === undefined ? [] : [`Init Duration: ${report.initMs.toFixed(2)} ms`]),
  ].join('\t');
}
