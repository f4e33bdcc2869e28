import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionArn, type LocalFunction } from './template.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

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

/**
 * The function invocation the current code runs in (all local functions share one process):
 * lets a benchmark attribute SDK calls to the function that made them.
 */
export const currentInvocation = new AsyncLocalStorage<LocalFunction>();

/** The error a Lambda invocation ends with, named like the runtime names it (`errorType`). */
export class InvocationError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

/**
 * Runs the functions of the synthesized template in this process: each invocation loads the
 * handler module named by the function's metadata, exactly the file esbuild bundles for AWS,
 * and calls it with a Lambda context and the function's configured timeout.
 */
export class LocalLambdas {
  readonly #root: string;
  readonly #functions: Map<string, LocalFunction>;
  readonly #handlers = new Map<string, Promise<Handler>>();
  readonly #faults: Fault[] = [];

  constructor(root: string, functions: Map<string, LocalFunction>) {
    this.#root = root;
    this.#functions = functions;
  }

  /**
   * Handlers read their environment once at module load, and all of them share this process,
   * so every function's variables are merged up front; two functions giving one variable two
   * values would make the local run differ from AWS, so that is refused.
   */
  applyEnvironment(base: Record<string, string>): void {
    const merged: Record<string, string> = {};
    for (const fn of this.#functions.values()) {
      for (const [name, value] of Object.entries(fn.environment)) {
        if (name === 'NODE_OPTIONS' || name === 'POWERTOOLS_LOG_LEVEL') continue;
        if (merged[name] !== undefined && merged[name] !== value) {
          throw new Error(
            `Functions disagree on ${name} (${merged[name]} vs ${value}); the local stack shares one env`,
          );
        }
        merged[name] = value;
      }
    }
    Object.assign(process.env, merged, base);
  }

  injectFault(fault: Fault): void {
    this.#faults.push({ ...fault });
  }

  /** How many injected failures matching `contains` have not happened yet. */
  faultsLeft(contains: string): number {
    return this.#faults.filter((f) => f.contains === contains).reduce((n, f) => n + f.times, 0);
  }

  #takeFault(fn: LocalFunction, event: unknown, when: Fault['when']): Fault | undefined {
    const fault = this.#faults.find(
      (f) =>
        f.times > 0 &&
        f.when === when &&
        f.entry === fn.entry &&
        (f.handler === undefined || f.handler === fn.handler) &&
        JSON.stringify(event).includes(f.contains),
    );
    if (fault) fault.times--;
    return fault;
  }

  has(logicalId: string): boolean {
    return this.#functions.has(logicalId);
  }

  /** `arn:…:function:<logicalId>` or the logical id itself → the function's logical id. */
  idOf(functionRef: string): string {
    const id = functionRef.split(':').at(-1) ?? functionRef;
    if (!this.#functions.has(id)) throw new Error(`No local function ${functionRef}`);
    return id;
  }

  async invoke(logicalId: string, event: unknown): Promise<unknown> {
    const fn = this.#functions.get(logicalId);
    if (!fn) throw new Error(`No local function ${logicalId}`);
    const handler = await this.#load(fn);
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn(logicalId),
      memoryLimitInMB: '1024',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${logicalId}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new InvocationError('Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds} seconds`),
          ),
        fn.timeoutSeconds * 1000,
      );
    });
    try {
      if (this.#takeFault(fn, event, 'before'))
        throw new InvocationError('Injected', 'Injected fault before the handler');
      const result = await Promise.race([
        currentInvocation.run(fn, () => handler(structuredClone(event), context)),
        timeout,
      ]);
      if (this.#takeFault(fn, event, 'after'))
        throw new InvocationError('Injected', 'Injected fault after the handler');
      return result;
    } catch (error) {
      if (error instanceof InvocationError) throw error;
      const e = error as Error;
      throw new InvocationError(e?.name ?? 'Error', e?.message ?? String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  #load(fn: LocalFunction): Promise<Handler> {
    let loaded = this.#handlers.get(fn.logicalId);
    if (!loaded) {
      loaded = import(pathToFileURL(join(this.#root, fn.entry)).href).then(
        (module: Record<string, unknown>) => {
          const handler = module[fn.handler];
          if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export ${fn.handler}`);
          return handler as Handler;
        },
      );
      this.#handlers.set(fn.logicalId, loaded);
    }
    return loaded;
  }
}
