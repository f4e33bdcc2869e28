import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { functionArn, LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';
import { accessDeniedMessage, type RolePolicy } from './iam.ts';
import type { FunctionRunner } from './lambdas.ts';
import { InvocationError } from './lambdas.ts';
import type { LocalStateMachine } from './template.ts';

/** Stands in for `$$.Task.Token` in a definition; replaced by a fresh token at each run of the state. */
const TOKEN_PLACEHOLDER = '<<local-task-token>>';
/** setTimeout cannot wait longer than this; longer execution timeouts are not enforced locally. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** Carries a state's TimeoutSecondsPath value to its local implementation. */
const TIMEOUT_KEY = '__localTimeoutSeconds';
/** Step Functions' limit on an execution's input and on what passes between states (256 KB). */
export const MAX_STATE_PAYLOAD_BYTES = 262_144;

type Json = Record<string, unknown>;
type TaskHandler = (input: unknown, signal: AbortSignal) => Promise<unknown>;
/** A Task state's implementation, given the execution it runs in. */
type TaskFactory = (executionArn: string) => TaskHandler;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  abort: () => void;
  done: Promise<void>;
  /** States entered so far: what a Standard workflow is billed by (state transitions). */
  transitions: number;
}

interface PendingTask {
  executionArn: string;
  stateMachineArn: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

class ServiceError extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/**
 * Local only (tests, demos): a Task state named `state` whose payload has every field of `match`
 * times out after `seconds` instead of its configured timeout — e.g. an invitation of one test
 * account expiring in one second instead of seven days.
 */
export interface TimeoutOverride {
  state: string;
  seconds: number;
  match: Record<string, unknown>;
}

export interface LocalStepFunctionsOptions {
  /** Pause between retries, in ms (tests shorten the definitions' backoff; default: as defined). */
  retryIntervalMs?: number;
  /** The policies of the state machines' roles: a task may invoke only what its role allows. */
  roles: Map<string, RolePolicy>;
  /** Told of every execution that ends, with how (EventBridge's status-change events). */
  onEnded?: (execution: Execution) => void;
}

const tooLarge = (what: string, json: string) =>
  Buffer.byteLength(json) > MAX_STATE_PAYLOAD_BYTES
    ? new InvocationError(
        'States.DataLimitExceeded',
        `The ${what} has a size of ${Buffer.byteLength(json)} bytes, which exceeds the maximum of ${MAX_STATE_PAYLOAD_BYTES} bytes.`,
      )
    : undefined;

/**
 * The state machines CDK synthesizes, run by aws-local-stepfunctions, behind the Step Functions
 * JSON API (StartExecution, DescribeExecution, StopExecution, SendTaskSuccess/Failure/Heartbeat)
 * so the handlers' SFN client works unchanged against `AWS_ENDPOINT_URL_SFN`.
 *
 * The interpreter has no task tokens, so Task states with `.waitForTaskToken` are run here: the
 * token in the payload is a fresh random value, the function is invoked, and the state waits
 * until SendTaskSuccess/SendTaskFailure names that token or its TimeoutSeconds(Path) elapses.
 */
export class LocalStepFunctions {
  readonly #lambdas: Pick<FunctionRunner, 'invoke' | 'idOf'>;
  readonly #options: LocalStepFunctionsOptions;
  readonly #machines = new Map<
    string,
    { machine: StateMachine; tasks: Record<string, TaskFactory>; retryStates: string[] }
  >();
  readonly #executions = new Map<string, Execution>();
  readonly #tasks = new Map<string, PendingTask>();
  readonly #timeoutOverrides: TimeoutOverride[] = [];

  constructor(
    machines: LocalStateMachine[],
    lambdas: Pick<FunctionRunner, 'invoke' | 'idOf'>,
    options: LocalStepFunctionsOptions,
  ) {
    this.#lambdas = lambdas;
    this.#options = options;
    for (const sm of machines) this.#register(sm);
  }

  get stateMachineArns(): string[] {
    return [...this.#machines.keys()];
  }

  #register(sm: LocalStateMachine): void {
    const definition = structuredClone(sm.definition) as Json;
    if (typeof definition.TimeoutSeconds === 'number' && definition.TimeoutSeconds > MAX_TIMER_SECONDS) {
      delete definition.TimeoutSeconds;
    }
    const tasks: Record<string, TaskFactory> = {};
    const retryStates: string[] = [];
    const visit = (states: Record<string, Json>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Retry) retryStates.push(name);
        // Step Functions refuses such a definition at deployment; refuse it here as well.
        if (
          state.Parameters !== undefined &&
          (typeof state.Parameters !== 'object' || state.Parameters === null)
        ) {
          throw new Error(`State '${name}' of ${sm.logicalId}: Parameters must be an object`);
        }
        if (state.Type === 'Task')
          tasks[name] = this.#withTimeout(name, state, this.#taskFactory(sm, name, state));
        for (const branch of (state.Branches as Json[] | undefined) ?? [])
          visit(branch.States as Record<string, Json>);
        const iterator = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
        if (iterator) visit(iterator.States as Record<string, Json>);
      }
    };
    visit(definition.States as Record<string, Json>);
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    this.#machines.set(sm.arn, { machine, tasks, retryStates });
  }

  /**
   * Task timeouts are enforced here rather than by the interpreter, which reads
   * TimeoutSecondsPath from the effective input (after Parameters) instead of the state input,
   * and which gives a Task without TimeoutSeconds 60 s where Step Functions waits far longer.
   * The path is evaluated by adding it to Parameters under a private key.
   */
  #withTimeout(stateName: string, state: Json, factory: TaskFactory): TaskFactory {
    const path = state.TimeoutSecondsPath as string | undefined;
    const fixed = state.TimeoutSeconds as number | undefined;
    if (path) {
      if (!state.Parameters)
        throw new Error(`State '${stateName}': TimeoutSecondsPath needs Parameters locally`);
      state.Parameters = { ...(state.Parameters as Json), [`${TIMEOUT_KEY}.$`]: path };
      delete state.TimeoutSecondsPath;
    }
    state.TimeoutSeconds = MAX_TIMER_SECONDS;
    return (executionArn) => {
      const run = factory(executionArn);
      return async (input) => {
        let taskInput = input;
        let seconds = fixed;
        if (path) {
          const { [TIMEOUT_KEY]: value, ...rest } = input as Json;
          seconds = Number(value);
          taskInput = rest;
        }
        const payload = ((taskInput as Json)?.Payload ?? taskInput) as Json;
        const override = this.#timeoutOverrides.find(
          (o) => o.state === stateName && Object.entries(o.match).every(([k, v]) => payload?.[k] === v),
        );
        if (override) seconds = override.seconds;
        const controller = new AbortController();
        if (!seconds) return run(taskInput, controller.signal);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new InvocationError('States.Timeout', `The task timed out after ${seconds} seconds`));
          }, Math.min(seconds, MAX_TIMER_SECONDS) * 1000);
          // A waiting task must not keep the process alive (stopped executions never settle it).
          timer.unref();
        });
        try {
          return await Promise.race([run(taskInput, controller.signal), timeout]);
        } finally {
          clearTimeout(timer);
        }
      };
    };
  }

  /**
   * What a task state's Lambda invocation goes through in AWS: the machine's role must allow
   * lambda:InvokeFunction on the function, and the payload each way is bounded (256 KB).
   */
  #invoker(sm: LocalStateMachine) {
    const policy = this.#options.roles.get(sm.roleId);
    if (!policy) throw new Error(`State machine ${sm.logicalId}: no policy for its role ${sm.roleId}`);
    return async (functionName: string, payload: unknown): Promise<unknown> => {
      const id = this.#lambdas.idOf(functionName);
      const decision = {
        action: 'lambda:InvokeFunction',
        resource: functionName.startsWith('arn:') ? functionName : functionArn(id),
      };
      if (!policy.allows(decision.action, decision.resource)) {
        const principal = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${sm.roleId}/${randomUUID()}`;
        throw new InvocationError(
          'Lambda.AWSLambdaException',
          `${accessDeniedMessage(principal, { allowed: false, ...decision })} (Service: Lambda, Status Code: 403)`,
        );
      }
      const input = tooLarge('input of the Lambda invocation', JSON.stringify(payload ?? null));
      if (input) throw input;
      const result = await this.#lambdas.invoke(id, payload);
      const output = tooLarge('Lambda function result', JSON.stringify(result ?? null));
      if (output) throw output;
      return result;
    };
  }

  /** Builds the local implementation of one Task state; rewrites its token reference in place. */
  #taskFactory(sm: LocalStateMachine, stateName: string, state: Json): TaskFactory {
    const resource = String(state.Resource);
    const invoke = this.#invoker(sm);
    if (resource.startsWith('arn:aws:lambda:')) {
      return () => (input) => invoke(resource, input);
    }
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return () => async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const payload = await invoke(FunctionName, Payload);
        return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      };
    }
    if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      state.Parameters = replaceTokenReference(state.Parameters);
      return (executionArn) => (input, signal) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const token = Buffer.from(randomUUID() + randomUUID()).toString('base64url');
        const result = new Promise<unknown>((resolve, reject) => {
          this.#tasks.set(token, { executionArn, stateMachineArn: sm.arn, resolve, reject });
        });
        // A timed-out wait forgets its token: a late SendTaskSuccess gets TaskDoesNotExist.
        signal.addEventListener('abort', () => this.#tasks.delete(token));
        const payload = JSON.parse(JSON.stringify(Payload).replaceAll(TOKEN_PLACEHOLDER, token));
        invoke(FunctionName, payload).catch((error: Error) => {
          this.#tasks.get(token)?.reject(error);
          this.#tasks.delete(token);
        });
        return result.finally(() => this.#tasks.delete(token));
      };
    }
    throw new Error(`State '${stateName}': the local runner does not support resource ${resource}`);
  }

  startExecution(stateMachineArn: string, input = '{}', name: string = randomUUID()): Execution {
    const entry = this.#machines.get(stateMachineArn);
    if (!entry)
      throw new ServiceError('StateMachineDoesNotExist', `State machine does not exist: ${stateMachineArn}`);
    const machineName = stateMachineArn.split(':').at(-1);
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machineName}:${name}`;
    const existing = this.#executions.get(executionArn);
    if (existing) {
      if (existing.input === input) return existing; // StartExecution is idempotent per name + input
      throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: ${executionArn}`);
    }
    const large = tooLarge('execution input', input);
    if (large) throw new ServiceError('InvalidExecutionInput', large.message);
    const parsed = JSON.parse(input) as unknown;
    const startDate = new Date();
    const retryIntervalOverrides =
      this.#options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(entry.retryStates.map((s) => [s, this.#options.retryIntervalMs as number]));
    const handlers = Object.fromEntries(
      Object.entries(entry.tasks).map(([state, factory]) => [state, factory(executionArn)]),
    );
    const run = entry.machine.run(
      parsed as never,
      {
        overrides: {
          taskResourceLocalHandlers: handlers,
          ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
        },
        context: {
          Execution: { Id: executionArn, Input: parsed, Name: name, StartTime: startDate.toISOString() },
          StateMachine: { Id: stateMachineArn, Name: machineName },
        },
      } as never,
    );
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate,
      abort: run.abort,
      done: Promise.resolve(),
      transitions: 0,
    };
    void (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') execution.transitions++;
    })().catch(() => undefined);
    execution.done = run.result.then(
      (output: unknown) => {
        Object.assign(execution, {
          status: 'SUCCEEDED',
          output: JSON.stringify(output ?? null),
          stopDate: new Date(),
        });
        this.#ended(execution);
      },
      (error: Error & { cause?: unknown }) => {
        if (execution.status === 'ABORTED') return;
        const timedOut = error.name === 'ExecutionTimeoutError';
        Object.assign(execution, {
          status: timedOut ? 'TIMED_OUT' : 'FAILED',
          error: errorName(error),
          cause: errorCause(error),
          stopDate: new Date(),
        });
        this.#ended(execution);
      },
    );
    this.#executions.set(executionArn, execution);
    return execution;
  }

  describeExecution(executionArn: string): Execution {
    const execution = this.#executions.get(executionArn);
    if (!execution)
      throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: ${executionArn}`);
    return execution;
  }

  /** Every execution of one state machine (the bench sums their transitions). */
  executionsOf(stateMachineArn: string): Execution[] {
    return [...this.#executions.values()].filter((e) => e.stateMachineArn === stateMachineArn);
  }

  /** Resolves when the execution has ended (tests use it instead of polling). */
  async waitFor(executionArn: string): Promise<Execution> {
    const execution = this.describeExecution(executionArn);
    await execution.done;
    return execution;
  }

  stopExecution(executionArn: string, error?: string, cause?: string): Date {
    const execution = this.describeExecution(executionArn);
    if (execution.status === 'RUNNING') {
      Object.assign(execution, { status: 'ABORTED', error, cause, stopDate: new Date() });
      execution.abort();
      this.#ended(execution);
      // Settle its waiting tasks so the interpreter's loop (which checks the abort between
      // states) ends and clears its timers; resolving runs no Catch or Retry.
      for (const [token, task] of this.#tasks) {
        if (task.executionArn !== executionArn) continue;
        this.#tasks.delete(token);
        task.resolve({ stopped: true });
      }
    }
    return execution.stopDate ?? new Date();
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    if (Buffer.byteLength(output) > MAX_STATE_PAYLOAD_BYTES) {
      throw new ServiceError(
        'ValidationException',
        `output: Member must have length less than or equal to ${MAX_STATE_PAYLOAD_BYTES}`,
      );
    }
    this.#takeTask(taskToken).resolve(JSON.parse(output));
  }

  /** The state machine whose execution is waiting with this token (its IAM resource). */
  stateMachineOfTask(taskToken: string): string | undefined {
    return this.#tasks.get(taskToken)?.stateMachineArn;
  }

  sendTaskFailure(taskToken: string, error = 'States.TaskFailed', cause = ''): void {
    this.#takeTask(taskToken).reject(new InvocationError(error, cause));
  }

  sendTaskHeartbeat(taskToken: string): void {
    if (!this.#tasks.has(taskToken))
      throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
  }

  #takeTask(taskToken: string): PendingTask {
    const task = this.#tasks.get(taskToken);
    if (!task) throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
    this.#tasks.delete(taskToken);
    return task;
  }

  #ended(execution: Execution): void {
    try {
      this.#options.onEnded?.(execution);
    } catch {
      // A listener's failure is not the execution's.
    }
  }

  overrideTaskTimeout(override: TimeoutOverride): void {
    this.#timeoutOverrides.push(override);
  }

  /** Aborts what is still running (on shutdown). */
  stopAll(): void {
    for (const execution of this.#executions.values()) {
      if (execution.status === 'RUNNING') this.stopExecution(execution.executionArn, 'Local.Shutdown');
    }
  }

  /** The Step Functions API actions the system uses, as the local AWS endpoint hands them over. */
  handle(action: string, b: Json): unknown {
    const seconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);
    switch (action) {
      case 'StartExecution': {
        const e = this.startExecution(
          String(b.stateMachineArn),
          (b.input as string) ?? '{}',
          b.name as string,
        );
        return { executionArn: e.executionArn, startDate: seconds(e.startDate) };
      }
      case 'DescribeExecution': {
        const e = this.describeExecution(String(b.executionArn));
        return {
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          input: e.input,
          output: e.output,
          error: e.error,
          cause: e.cause,
          startDate: seconds(e.startDate),
          stopDate: seconds(e.stopDate),
        };
      }
      case 'StopExecution':
        return {
          stopDate: seconds(this.stopExecution(String(b.executionArn), b.error as string, b.cause as string)),
        };
      case 'SendTaskSuccess':
        this.sendTaskSuccess(String(b.taskToken), String(b.output));
        return {};
      case 'SendTaskFailure':
        this.sendTaskFailure(
          String(b.taskToken),
          b.error as string | undefined,
          b.cause as string | undefined,
        );
        return {};
      case 'SendTaskHeartbeat':
        this.sendTaskHeartbeat(String(b.taskToken));
        return {};
      default:
        throw new ServiceError(
          'UnknownOperationException',
          `The local Step Functions does not implement ${action}`,
        );
    }
  }
}

function replaceTokenReference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceTokenReference);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([key, v]) =>
      key.endsWith('.$') && v === '$$.Task.Token'
        ? [key.slice(0, -2), TOKEN_PLACEHOLDER]
        : [key, replaceTokenReference(v)],
    ),
  );
}

/** aws-local-stepfunctions wraps the state's error; report the innermost name and message. */
function errorName(error: Error & { cause?: unknown }): string {
  const inner = error.cause instanceof Error ? error.cause : undefined;
  return inner?.name ?? error.name;
}
function errorCause(error: Error & { cause?: unknown }): string {
  const inner = error.cause instanceof Error ? error.cause : undefined;
  return inner?.message ?? error.message;
}
