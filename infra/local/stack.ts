import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { createApiFront } from './api.ts';
import { ensureTables, startDynamoDb } from './dynamodb.ts';
import { startIdentity } from './identity.ts';
import { LocalLambdas } from './lambdas.ts';
import { startSes } from './mail.ts';
import { freePort } from './process.ts';
import { LocalStepFunctions } from './stepfunctions.ts';
import { startS3 } from './storage.ts';
import { describeTemplate, LOCAL_REGION, type LocalDescription, synthesizeTemplate } from './template.ts';

export type Component = 'api' | 'dynamodb' | 'ses' | 's3' | 'cognito' | 'sfn';

export interface LocalStackOptions {
  /** Keep data here across restarts. Absent: everything lives in a temporary directory. */
  dataDir?: string;
  /** Preferred ports; a busy or absent one is replaced by a free port. */
  ports?: Partial<Record<Component, number>>;
  /** Log level of the handlers (POWERTOOLS_LOG_LEVEL). */
  logLevel?: string;
  /** Shortens the retry backoff of every state (fault-injection tests). */
  retryIntervalMs?: number;
}

export interface LocalStack {
  apiUrl: string;
  mailboxUrl: string;
  endpoints: Record<Exclude<Component, 'api'>, string>;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  tableName: string;
  documentsBucket: string;
  /** State machine ARNs by the workflow's construct id: `Invitation`, `RenewalReminders`, … */
  stateMachines: Record<string, string>;
  stepFunctions: LocalStepFunctions;
  /** What the stack runs, read from the synthesized template (functions, routes, machines). */
  described: LocalDescription;
  stop(): Promise<void>;
}

/** What a test process or a helper command needs to reach the stack (plain data). */
export type LocalStackInfo = Omit<LocalStack, 'stepFunctions' | 'described' | 'stop'>;

export function stackInfo(stack: LocalStack): LocalStackInfo {
  const { stepFunctions: _sfn, described: _described, stop: _stop, ...info } = stack;
  return info;
}

/**
 * Dummy credentials for every local component. They are s3rver's own, so that it verifies
 * the signatures of presigned URLs as S3 does; the other emulators accept any.
 */
const LOCAL_AWS_ENV = {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
};

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * Starts the whole system on this machine: DynamoDB Local, the SES and S3 emulators,
 * cognito-local, the state machines and the HTTP front, all wired from the template CDK
 * synthesizes for the dev stage.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  // Every SDK client in this process (ours and the handlers') talks to local components with
  // dummy credentials; a developer's real AWS profile must never be picked up.
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, LOCAL_AWS_ENV);
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'manager-local-'));
  for (const dir of ['dynamodb', 's3', 'cognito']) mkdirSync(join(dataDir, dir), { recursive: true });
  const port = async (c: Component) => freePort(options.ports?.[c] ?? 0);
  const ports = {
    api: await port('api'),
    dynamodb: await port('dynamodb'),
    ses: await port('ses'),
    s3: await port('s3'),
    cognito: await port('cognito'),
    sfn: await port('sfn'),
  };

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
      started(startSes(ports.ses)),
    ]);
    // Synthesis is CPU work; it runs while Java and cognito-local boot in their own processes.
    const template = synthesizeTemplate('dev');
    const results = await pending;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamo, identity, ses] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      Awaited<ReturnType<typeof startDynamoDb>>,
      Awaited<ReturnType<typeof startIdentity>>,
      Awaited<ReturnType<typeof startSes>>,
    ];
    const described = describeTemplate(template, {
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.clientId,
    });
    const s3 = await startS3(ports.s3, join(dataDir, 's3'), described.buckets);
    stoppers.push(s3.stop);

    const endpoints = {
      dynamodb: dynamo.endpoint,
      ses: ses.endpoint,
      s3: s3.endpoint,
      cognito: identity.endpoint,
      sfn: `http://127.0.0.1:${ports.sfn}`,
    };
    const lambdas = new LocalLambdas(PROJECT_ROOT, described.functions);
    // What the Lambda runtime and the stage would provide, pointed at the local components.
    lambdas.applyEnvironment({
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SFN: endpoints.sfn,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
      POWERTOOLS_DEV: 'true',
    });
    await ensureTables(dynamo.endpoint, described.tables);

    const stepFunctions = new LocalStepFunctions(described.stateMachines, lambdas, {
      ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    });
    const sfnServer = stepFunctions.createServer();
    await listen(sfnServer, ports.sfn);
    stoppers.push(async () => {
      stepFunctions.stopAll();
      await close(sfnServer);
    });

    if (!described.authorizer) throw new Error('The HTTP API has no JWT authorizer');
    const api = createApiFront(described.routes, lambdas, {
      issuer: identity.issuer,
      audience: [identity.clientId],
      jwksUrl: identity.jwksUrl,
    });
    await listen(api, ports.api);
    stoppers.push(() => close(api));

    const [table] = described.tables;
    const documentsBucket = described.buckets.find((b) => b.startsWith('documentsbucket'));
    if (!table || !documentsBucket) throw new Error('The template has no table or documents bucket');
    return {
      apiUrl: `http://127.0.0.1:${ports.api}`,
      mailboxUrl: ses.endpoint,
      endpoints,
      region: LOCAL_REGION,
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.clientId,
      tableName: table.name,
      documentsBucket,
      stateMachines: Object.fromEntries(
        described.stateMachines.map((sm) => [sm.logicalId.replace(/StateMachine[0-9A-F]{8}$/, ''), sm.arn]),
      ),
      stepFunctions,
      described,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
