import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { functionArn, LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';
import { RolePolicy } from './iam.ts';
import { type Fault, Faults, type FunctionRunner, functionIdOf, type InvocationReport } from './lambdas.ts';
import { type LocalMetric, metricsOfLine } from './metrics.ts';
import { localSecretValues } from './secrets.ts';
import { type LocalStackInfo, startFront } from './stack.ts';
import { cachedTemplate, describeTemplate, type LocalFunction } from './template.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** The request header that names, to the local AWS endpoint, the function calling. */
const CALLER_HEADER = 'x-local-function';
/** The function whose invocation the current async context belongs to. */
const invocation = new AsyncLocalStorage<string>();

/**
 * All functions call AWS with one key here, so the SDK's requests name their function in a
 * header (the SDK sends them with `http.request(options, callback)`): a test that holds one
 * function's writes to set off a race (`holdWrites`) holds that function's, as on the normal
 * local stack, and not nothing.
 */
function nameCallers(): () => void {
  const request = http.request;
  http.request = ((options: unknown, ...rest: unknown[]) => {
    const caller = invocation.getStore();
    if (caller && options && typeof options === 'object' && !(options instanceof URL)) {
      const { headers } = options as http.RequestOptions;
      (options as http.RequestOptions).headers = { ...(headers as object), [CALLER_HEADER]: caller };
    }
    return (request as (...args: unknown[]) => http.ClientRequest)(options, ...rest);
  }) as typeof http.request;
  // Undone when the front stops: each test file starts its own front in the same process.
  return () => {
    http.request = request;
  };
}

/**
 * Mutation testing only (`npm run test:mutation`): the functions run in the calling process —
 * the test worker — instead of execution environments of their own. StrykerJS switches a mutant
 * on, and records which test reached which mutant, in that process's global scope, which a
 * worker thread does not share. Isolation is given up for it: every function's variables are
 * set in the one process, and the calls go to AWS with the administrator's key (no IAM check).
 * The normal local stack never runs functions this way (docs/testing.md).
 */
export class InProcessFunctions implements FunctionRunner {
  readonly #functions: ReadonlyMap<string, LocalFunction>;
  readonly #faults = new Faults();
  readonly #handlers = new Map<string, Promise<Handler>>();
  readonly reports: InvocationReport[] = [];
  /** What the handlers' EMF lines made, told apart by the invocation that printed them. */
  readonly metrics: LocalMetric[] = [];

  constructor(functions: ReadonlyMap<string, LocalFunction>) {
    this.#functions = functions;
  }

  /**
   * The handlers print into this process's stdout: a line printed by an invocation that is
   * EMF becomes metrics of its function, as CloudWatch makes them (metricsOfLine); other
   * output passes. One Metrics instance serves all functions here, so counts of invocations
   * that overlap may share a line: the tests that read metrics make their requests one by one.
   */
  captureMetrics(): () => void {
    const original = process.stdout.write;
    const write = original.bind(process.stdout) as (...args: unknown[]) => boolean;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      const caller = invocation.getStore();
      if (caller && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
        const lines = Buffer.from(chunk).toString().trimEnd().split('\n');
        const points = lines.map((line) => metricsOfLine(line, caller));
        if (points.every((p) => p !== undefined)) {
          this.metrics.push(...points.flat());
          return true;
        }
      }
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    return () => {
      process.stdout.write = original;
    };
  }

  idOf(functionRef: string): string {
    return functionIdOf(this.#functions, functionRef);
  }

  injectFault(fault: Fault): void {
    this.#faults.inject(fault);
  }

  faultsLeft(contains: string): number {
    return this.#faults.left(contains);
  }

  #handler(fn: LocalFunction): Promise<Handler> {
    let handler = this.#handlers.get(fn.entry + fn.handler);
    if (!handler) {
      // A dynamic import of the source: the test runner's module loader serves the mutated copy.
      handler = import(join(PROJECT_ROOT, fn.entry)).then(
        (module: Record<string, unknown>) => module[fn.handler] as Handler,
      );
      this.#handlers.set(fn.entry + fn.handler, handler);
    }
    return handler;
  }

  /**
   * Loads every function's module before the first test. StrykerJS counts a mutant reached
   * outside any test as static (ignored: stryker.config.mjs); loaded during a test, a module's
   * top-level code would count as reached by the first test of the file that called the
   * function, and only that test would run for its mutants (docs/testing.md).
   */
  async loadAll(): Promise<void> {
    await Promise.all([...this.#functions.values()].map((fn) => this.#handler(fn)));
  }

  async invoke(logicalId: string, event: unknown): Promise<unknown> {
    const fn = this.#functions.get(logicalId);
    if (!fn) throw new Error(`No local function ${logicalId}`);
    const payload = JSON.stringify(event ?? null);
    this.#faults.fire(fn, payload, 'before');
    const handler = this.#handler(fn);
    const started = Date.now();
    const context = {
      functionName: logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn(logicalId),
      memoryLimitInMB: String(fn.memorySize),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${logicalId}`,
      logStreamName: 'in-process',
      getRemainingTimeInMillis: () => Math.max(0, started + fn.timeoutSeconds * 1000 - Date.now()),
    };
    const run = await handler;
    const result = await invocation.run(logicalId, () => run(JSON.parse(payload), context));
    this.#faults.fire(fn, payload, 'after');
    return JSON.parse(JSON.stringify(result ?? null)) as unknown;
  }

  async stop(): Promise<void> {}
}

/**
 * Starts the in-process front over the emulators of a running local stack (its DynamoDB Local,
 * SES emulator, Cognito and S3 directory) and answers with that stack's description pointed at
 * it: the same API, AWS endpoint and control endpoint, run in this process.
 */
export async function startInProcessFront(info: LocalStackInfo) {
  const described = describeTemplate(await cachedTemplate('dev'), {
    userPoolId: info.userPoolId,
    userPoolClientId: info.userPoolClientId,
  });
  const runner = new InProcessFunctions(described.functions);
  const policies = new Map(
    [...described.roles.values()].map((role) => [
      role.logicalId,
      new RolePolicy(role.logicalId, role.statements),
    ]),
  );
  const front = await startFront({
    described,
    runner,
    policies,
    principals: [{ ...info.adminCredentials, arn: `arn:aws:iam::${LOCAL_ACCOUNT}:root`, name: 'admin' }],
    // The mailbox passes the SES API on to the emulator.
    backends: { dynamodb: info.endpoints.dynamodb, ses: info.mailboxUrl, cognito: info.endpoints.cognito },
    objectsDir: info.objectsDir,
    // Cursors signed and read by the functions of this process: values of its own.
    secrets: localSecretValues(described.secrets),
    authorizer: {
      issuer: `${info.endpoints.cognito}/${info.userPoolId}`,
      audience: [info.userPoolClientId],
      jwksUrl: `${info.endpoints.cognito}/${info.userPoolId}/.well-known/jwks.json`,
    },
    retryIntervalMs: 10,
    callerHeader: CALLER_HEADER,
  });
  const undo = [nameCallers(), runner.captureMetrics()];
  // One process for all functions: each one's variables, merged (they agree on every name).
  for (const fn of described.functions.values()) Object.assign(process.env, fn.environment);
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: info.adminCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.adminCredentials.secretAccessKey,
    AWS_ENDPOINT_URL: front.awsUrl,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  await runner.loadAll();
  return {
    info: {
      ...info,
      apiUrl: front.apiUrl,
      controlUrl: front.controlUrl,
      endpoints: { ...info.endpoints, aws: front.awsUrl },
    },
    stop: async () => {
      for (const restore of undo) restore();
      await front.stop();
    },
  };
}
