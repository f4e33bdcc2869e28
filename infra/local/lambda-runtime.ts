import { enableCompileCache } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * One local Lambda execution environment, run in a worker thread of its own: its own module
 * instance, and as `process.env` only what the function's template gives it plus what the
 * Lambda runtime sets (the worker is started with exactly that environment). It loads the
 * handler once (the init phase) and then serves one invocation at a time, as Lambda does.
 */
export interface RuntimeData {
  /** File URL of the handler module: the source entry, or the bundled asset's index.mjs. */
  module: string;
  handler: string;
  functionName: string;
  functionArn: string;
  memorySize: number;
  logGroupName: string;
  logStreamName: string;
  /** Where V8 keeps compiled code between runs (a local speed-up; Lambda has SnapStart-like caches of its own). */
  compileCache?: string;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event, as the JSON Lambda hands over. */
  event: string;
  deadline: number;
}

export type RuntimeMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; initMs: number; errorType: string; errorMessage: string }
  | {
      type: 'done';
      requestId: string;
      ok: boolean;
      /** The handler's result as JSON (`null` for undefined), as Lambda serializes it. */
      payload?: string;
      errorType?: string;
      errorMessage?: string;
      maxMemoryMb: number;
    };

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const data = workerData as RuntimeData;
const port = parentPort;
if (!port) throw new Error('lambda-runtime runs in a worker thread');
const post = (message: RuntimeMessage) => port.postMessage(message);

const describe = (error: unknown) => {
  const e = error as Error | undefined;
  return {
    errorType: (typeof e?.name === 'string' && e.name) || 'Error',
    errorMessage: typeof e?.message === 'string' ? e.message : String(error),
  };
};

let peakBytes = 0;
const trackMemory = () => {
  const heap = getHeapStatistics();
  peakBytes = Math.max(peakBytes, heap.used_heap_size + heap.external_memory);
  return Math.ceil(peakBytes / (1024 * 1024));
};

if (data.compileCache) enableCompileCache(data.compileCache);
const started = performance.now();
let handler: Handler | undefined;
try {
  const module = (await import(data.module)) as Record<string, unknown>;
  const exported = module[data.handler];
  if (typeof exported !== 'function') {
    throw Object.assign(new Error(`${data.module} does not export ${data.handler}`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  handler = exported as Handler;
  trackMemory();
  post({ type: 'ready', initMs: performance.now() - started });
} catch (error) {
  post({ type: 'init-error', initMs: performance.now() - started, ...describe(error) });
}

port.on('message', async (message: InvokeMessage) => {
  if (message.type !== 'invoke' || !handler) return;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.functionArn,
    memoryLimitInMB: String(data.memorySize),
    awsRequestId: message.requestId,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(JSON.parse(message.event), context);
    post({
      type: 'done',
      requestId: message.requestId,
      ok: true,
      payload: JSON.stringify(result ?? null),
      maxMemoryMb: trackMemory(),
    });
  } catch (error) {
    post({
      type: 'done',
      requestId: message.requestId,
      ok: false,
      ...describe(error),
      maxMemoryMb: trackMemory(),
    });
  }
});
