import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StageConfig } from '../config/stages.ts';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { createApiFront, type JwtAuthorizerConfig } from './api.ts';
import { AwsGateway, type Principal } from './aws-gateway.ts';
import { bundleFunctions } from './bundle.ts';
import { createControlServer } from './control.ts';
import { ensureTables, startDynamoDb } from './dynamodb.ts';
import { executionStatusEvent, noticesOf, type OpsNotice } from './events.ts';
import { RolePolicy } from './iam.ts';
import { startIdentity } from './identity.ts';
import { type FunctionRunner, type InvocationReport, LocalLambdas } from './lambdas.ts';
import { startSes } from './mail.ts';
import { listen } from './process.ts';
import { LocalS3 } from './s3.ts';
import { type LocalSecretValue, localSecretValues } from './secrets.ts';
import { LocalStepFunctions } from './stepfunctions.ts';
import {
  cachedTemplate,
  describeTemplate,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalDescription,
  type LocalFunction,
  type SynthesizedTemplate,
} from './template.ts';

export type Component = 'api' | 'aws' | 'dynamodb' | 'mailbox' | 'cognito' | 'control';

export interface LocalStackOptions {
  /** Keep data here across restarts. Absent: everything lives in a temporary directory. */
  dataDir?: string;
  /** Preferred ports; a busy or absent one is replaced by a free port. */
  ports?: Partial<Record<Component, number>>;
  /** Log level of the handlers (POWERTOOLS_LOG_LEVEL). */
  logLevel?: string;
  /** Shortens the retry backoff of every state (fault-injection tests). */
  retryIntervalMs?: number;
  /** The stage to synthesize (default: dev). Tests give one with test-only settings. */
  stage?: StageConfig;
  /**
   * An already synthesized template. With `code: 'bundled'`, its bundled assets run instead of
   * the sources: the very code a deployment uploads.
   */
  synthesized?: SynthesizedTemplate;
  code?: 'source' | 'bundled';
  /** Called with every invocation's report (npm start prints Lambda's REPORT lines). */
  onReport?(report: InvocationReport): void;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LocalStack {
  apiUrl: string;
  mailboxUrl: string;
  /** The local stack's own control endpoint (fault injection, reports): infra/local/control.ts. */
  controlUrl: string;
  /** Where the local S3 keeps its objects. */
  objectsDir: string;
  endpoints: {
    /** The local AWS endpoint every function's SDK calls: SigV4 and IAM checked. */
    aws: string;
    dynamodb: string;
    cognito: string;
  };
  region: string;
  /** The account administrator's key for the local AWS endpoint (tooling and tests only). */
  adminCredentials: Credentials;
  userPoolId: string;
  userPoolClientId: string;
  tableName: string;
  documentsBucket: string;
  /** State machine ARNs by the workflow's construct id: `Invitation`, `RenewalReminders`, … */
  stateMachines: Record<string, string>;
  stepFunctions: LocalStepFunctions;
  lambdas: LocalLambdas;
  gateway: AwsGateway;
  /** What the stack runs, read from the synthesized template (functions, routes, machines). */
  described: LocalDescription;
  /** A function's environment as its execution environments get it (the bench runs bundles with it). */
  environmentOf(fn: LocalFunction): Record<string, string>;
  stop(): Promise<void>;
}

/** What a test process or a helper command needs to reach the stack (plain data). */
export type LocalStackInfo = Omit<
  LocalStack,
  'stepFunctions' | 'lambdas' | 'gateway' | 'described' | 'environmentOf' | 'stop'
>;

export function stackInfo(stack: LocalStack): LocalStackInfo {
  const {
    stepFunctions: _s,
    lambdas: _l,
    gateway: _g,
    described: _d,
    environmentOf: _e,
    stop: _stop,
    ...info
  } = stack;
  return info;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** An access key id in AWS's shape: ASIA + 16 characters, derived from the principal's name. */
const accessKeyIdFor = (name: string, salt: string) =>
  `ASIA${createHash('sha256').update(`${salt}:${name}`).digest('hex').slice(0, 16).toUpperCase()}`;

/**
 * Credentials per function, as Lambda gives each function its role's temporary credentials:
 * the local AWS endpoint knows by the key which function calls and which role it has.
 */
function principalsOf(described: LocalDescription, policies: Map<string, RolePolicy>, salt: string) {
  const principals = new Map<string, Principal>();
  for (const fn of described.functions.values()) {
    principals.set(fn.logicalId, {
      accessKeyId: accessKeyIdFor(fn.logicalId, salt),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      arn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${fn.roleId}/${fn.logicalId}`,
      name: fn.logicalId,
      policy: policies.get(fn.roleId),
    });
  }
  return principals;
}

export interface FrontOptions {
  described: LocalDescription;
  runner: FunctionRunner;
  policies: Map<string, RolePolicy>;
  principals: Principal[];
  backends: { dynamodb: string; ses: string; cognito: string };
  objectsDir: string;
  /** The secrets' values (localSecretValues). */
  secrets: LocalSecretValue[];
  authorizer: JwtAuthorizerConfig;
  ports?: Partial<Record<Component, number>>;
  retryIntervalMs?: number;
  /** In-process front only: the header naming the calling function (AwsGatewayOptions). */
  callerHeader?: string;
}

/**
 * The part of the local stack that runs in this process, over the emulators: the state machines,
 * the local AWS endpoint (with the local S3), the HTTP front and the control endpoint.
 */
export async function startFront(options: FrontOptions) {
  const { described, runner, ports = {} } = options;
  const servers: Server[] = [];
  // What the stage's EventBridge rules would publish to the ops topic (issue 15).
  const notices: OpsNotice[] = [];
  const stepFunctions = new LocalStepFunctions(described.stateMachines, runner, {
    roles: options.policies,
    onEnded: (execution) => {
      // Stopping the local stack aborts what runs; AWS never sees that.
      if (execution.error === 'Local.Shutdown') return;
      for (const notice of noticesOf(described.eventRules, executionStatusEvent(execution))) {
        notices.push(notice);
        if (notices.length > 500) notices.shift();
        process.stderr.write(`[ops] ${notice.message}\n`);
      }
    },
    ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
  });
  const gateway = new AwsGateway({
    principals: options.principals,
    backends: options.backends,
    stepFunctions,
    s3: new LocalS3(options.objectsDir, described.buckets),
    mail: described.mail,
    secrets: options.secrets,
    tableKeys: Object.fromEntries(
      described.tables.map((table) => [
        table.name,
        (table.properties.KeySchema as { AttributeName: string }[]).map((key) => key.AttributeName),
      ]),
    ),
    ...(options.callerHeader ? { callerHeader: options.callerHeader } : {}),
  });
  const serve = async (server: Server, port: number | undefined) => {
    servers.push(server);
    return `http://127.0.0.1:${await listen(server, port)}`;
  };
  try {
    const awsUrl = await serve(gateway.createServer(), ports.aws);
    const apiUrl = await serve(createApiFront(described, runner, options.authorizer), ports.api);
    const controlUrl = await serve(
      createControlServer({
        lambdas: runner,
        stepFunctions,
        gateway,
        notices,
        subscriptions: described.topicSubscriptions,
      }),
      ports.control,
    );
    const stop = async () => {
      stepFunctions.stopAll();
      await Promise.all(servers.map(close));
    };
    return { awsUrl, apiUrl, controlUrl, stepFunctions, gateway, notices, stop };
  } catch (error) {
    await Promise.all(servers.map(close));
    throw error;
  }
}

/**
 * What a function's execution environment has as its environment: the variables of its template,
 * what the Lambda runtime sets, and the two local stand-ins (docs/local-fidelity.md) — AWS's
 * regional endpoints are this machine's AWS endpoint, and the developer chooses how much the
 * handlers log. Nothing else of this process's environment reaches it.
 */
export function runtimeEnvironment(
  fn: LocalFunction,
  credentials: Credentials & { sessionToken: string },
  awsEndpoint: string,
  logLevel: string,
): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.logicalId}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    _HANDLER: `index.${fn.handler}`,
    LAMBDA_TASK_ROOT: '/var/task',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_ENDPOINT_URL: awsEndpoint,
    POWERTOOLS_LOG_LEVEL: logLevel,
    POWERTOOLS_DEV: 'true',
    // Dev mode would also silence the business metrics: they are written as in Lambda.
    POWERTOOLS_METRICS_DISABLED: 'false',
  };
}

/** The variables a local execution environment gets beside its template's (see runtimeEnvironment). */
export const LOCAL_STAND_INS = [
  'AWS_ENDPOINT_URL',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_DEV',
  'POWERTOOLS_METRICS_DISABLED',
];

/**
 * Starts the whole system on this machine: DynamoDB Local, the SES emulator, cognito-local, the
 * local S3, the state machines, the local AWS endpoint and the HTTP front, all wired from the
 * template CDK synthesizes. Every function runs in its own execution environments with only
 * its own environment, and every AWS call it makes is checked against its role.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'manager-local-'));
  for (const dir of ['dynamodb', 'objects', 'cognito']) mkdirSync(join(dataDir, dir), { recursive: true });
  const ports = options.ports ?? {};

  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    stoppers.length = 0;
    if (!persistent) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // The slow starts (Java, a Node child) overlap with synthesis. Every component that did
    // start is registered for stopping, even when another one failed.
    const started = <T extends { stop(): Promise<void> }>(component: Promise<T>) =>
      component.then((c) => {
        stoppers.push(c.stop);
        return c;
      });
    const pending = Promise.allSettled([
      started(startDynamoDb(ports.dynamodb, persistent ? join(dataDir, 'dynamodb') : undefined)),
      started(startIdentity(ports.cognito, join(dataDir, 'cognito'))),
      started(startSes(ports.mailbox)),
    ]);
    // Synthesis is CPU work; it runs while Java and cognito-local boot in their own processes,
    // and so does the build of the functions (esbuild, a process of its own).
    const synthesized = options.synthesized ?? (await cachedTemplate(options.stage ?? 'dev'));
    const code = options.code ?? 'source';
    const functions = describeTemplate(synthesized, {
      userPoolId: '-',
      userPoolClientId: '-',
    }).functions.values();
    const built = code === 'bundled' ? undefined : bundleFunctions(PROJECT_ROOT, functions);
    const results = await pending;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamo, identity, ses] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      Awaited<ReturnType<typeof startDynamoDb>>,
      Awaited<ReturnType<typeof startIdentity>>,
      Awaited<ReturnType<typeof startSes>>,
    ];
    const described = describeTemplate(synthesized, {
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.clientId,
    });
    const policies = new Map(
      [...described.roles.values()].map((role) => [
        role.logicalId,
        new RolePolicy(role.logicalId, role.statements),
      ]),
    );
    const salt = randomBytes(8).toString('hex');
    const principals = principalsOf(described, policies, salt);
    const adminCredentials = {
      accessKeyId: accessKeyIdFor('admin', salt).replace(/^ASIA/, 'AKIA'),
      secretAccessKey: randomBytes(30).toString('base64'),
    };

    const gatewayServer = { url: '' };
    const logLevel = options.logLevel ?? 'INFO';
    const environmentOf = (fn: LocalFunction): Record<string, string> => {
      const principal = principals.get(fn.logicalId);
      if (!principal?.sessionToken) throw new Error(`No credentials for ${fn.logicalId}`);
      return runtimeEnvironment(
        fn,
        { ...principal, sessionToken: principal.sessionToken },
        gatewayServer.url,
        logLevel,
      );
    };
    const lambdas = new LocalLambdas(described.functions, {
      code: built ? { source: await built } : 'bundled',
      compileCache: join(PROJECT_ROOT, 'node_modules', '.cache', 'manager-local', 'v8'),
      environmentOf,
      ...(options.onReport ? { onReport: options.onReport } : {}),
    });
    stoppers.push(() => lambdas.stop());

    await ensureTables(dynamo.endpoint, described.tables);
    const front = await startFront({
      described,
      runner: lambdas,
      policies,
      principals: [
        ...principals.values(),
        { ...adminCredentials, arn: `arn:aws:iam::${LOCAL_ACCOUNT}:root`, name: 'admin' },
      ],
      backends: { dynamodb: dynamo.endpoint, ses: ses.endpoint, cognito: identity.endpoint },
      objectsDir: join(dataDir, 'objects'),
      secrets: localSecretValues(described.secrets, join(dataDir, 'secrets.json')),
      authorizer: { issuer: identity.issuer, audience: [identity.clientId], jwksUrl: identity.jwksUrl },
      ports,
      ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    });
    stoppers.push(front.stop);
    gatewayServer.url = front.awsUrl;
    const { stepFunctions, gateway } = front;

    const [table] = described.tables;
    const documentsBucket = described.buckets.find((b) => b.name.startsWith('documentsbucket'))?.name;
    if (!table || !documentsBucket) throw new Error('The template has no table or documents bucket');
    return {
      apiUrl: front.apiUrl,
      mailboxUrl: ses.mailboxUrl,
      controlUrl: front.controlUrl,
      objectsDir: join(dataDir, 'objects'),
      endpoints: { aws: front.awsUrl, dynamodb: dynamo.endpoint, cognito: identity.endpoint },
      region: LOCAL_REGION,
      adminCredentials,
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.clientId,
      tableName: table.name,
      documentsBucket,
      stateMachines: Object.fromEntries(
        described.stateMachines.map((sm) => [sm.logicalId.replace(/StateMachine[0-9A-F]{8}$/, ''), sm.arn]),
      ),
      stepFunctions,
      lambdas,
      gateway,
      described,
      environmentOf,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
