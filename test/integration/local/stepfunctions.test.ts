import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/constructs/manager-function.ts';
import { AwsGateway } from '../../../infra/local/aws-gateway.ts';
import { bundleFunctions } from '../../../infra/local/bundle.ts';
import { RolePolicy } from '../../../infra/local/iam.ts';
import { LocalLambdas } from '../../../infra/local/lambdas.ts';
import { listen } from '../../../infra/local/process.ts';
import { LocalS3 } from '../../../infra/local/s3.ts';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions.ts';
import { describeTemplate, LOCAL_REGION } from '../../../infra/local/template.ts';
import { PARKED_CHANNEL, type Parked } from '../../fixtures/workflow/functions.ts';
import { synthesizeFixtureWorkflow } from '../../fixtures/workflow/stack.ts';

let server: Server;
let sfn: SFNClient;
let runner: LocalStepFunctions;
let lambdas: LocalLambdas;
let stateMachineArn: string;
const parked: Parked[] = [];
const channel = new BroadcastChannel(PARKED_CHANNEL);
channel.onmessage = (message) => parked.push((message as { data: Parked }).data);
/** Execution names of this run (the fixture counts attempts per name in a shared file). */
const run = randomUUID().slice(0, 8);
const named = (request: string) => `${request}-${run}`;

beforeAll(async () => {
  const described = describeTemplate(synthesizeFixtureWorkflow(), { userPoolId: '-', userPoolClientId: '-' });
  lambdas = new LocalLambdas(described.functions, {
    code: { source: await bundleFunctions(PROJECT_ROOT, described.functions.values()) },
    environmentOf: (fn) => ({ ...fn.environment, AWS_REGION: LOCAL_REGION, POWERTOOLS_LOG_LEVEL: 'SILENT' }),
  });
  const roles = new Map(
    [...described.roles.values()].map((r) => [r.logicalId, new RolePolicy(r.logicalId, r.statements)]),
  );
  runner = new LocalStepFunctions(described.stateMachines, lambdas, { retryIntervalMs: 5, roles });
  [stateMachineArn] = runner.stateMachineArns as [string];
  const credentials = { accessKeyId: 'AKIAFIXTURE', secretAccessKey: 'fixture' };
  const gateway = new AwsGateway({
    principals: [{ ...credentials, arn: 'arn:aws:iam::000000000000:root', name: 'admin' }],
    backends: { dynamodb: 'http://127.0.0.1:1', ses: 'http://127.0.0.1:1', cognito: 'http://127.0.0.1:1' },
    stepFunctions: runner,
    s3: new LocalS3(tmpdir(), []),
    mail: { identities: [], configurationSets: [] },
  });
  server = gateway.createServer();
  const port = await listen(server);
  sfn = new SFNClient({ endpoint: `http://127.0.0.1:${port}`, region: LOCAL_REGION, credentials });
});

afterAll(async () => {
  runner.stopAll();
  channel.close();
  await lambdas.stop();
  await new Promise((resolve) => server.close(resolve));
});

async function start(name: string, input: Record<string, unknown> = {}) {
  const request = named(name);
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: request,
      input: JSON.stringify({ request, timeoutSeconds: 30, failures: 0, ...input }),
    }),
  );
  return String(executionArn);
}

async function tokenOf(name: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = parked.find((p) => p.request === named(name));
    if (found) return found.token;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no task token parked for ${name}`);
}

async function finished(executionArn: string) {
  await runner.waitFor(executionArn);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

describe('local Step Functions runner', () => {
  it('waits at a .waitForTaskToken state until SendTaskSuccess names its token, then continues', async () => {
    const arn = await start('approve-1');
    const token = await tokenOf('approve-1');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'alice' }) }));

    const execution = await finished(arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(execution.output))).toEqual({
      outcome: 'approved',
      approval: { by: 'alice' },
      attempts: 1,
    });
  });

  it('gives every wait its own token, and refuses a token that was already used', async () => {
    const arn = await start('approve-twice');
    const token = await tokenOf('approve-twice');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await finished(arn);

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    expect(token).not.toBe(parked.find((p) => p.request === named('approve-1'))?.token);
  });

  it('fails the waiting state with the error SendTaskFailure names, which a Catch handles', async () => {
    const arn = await start('reject-1');
    const token = await tokenOf('reject-1');

    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not this time' }),
    );

    const execution = await finished(arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(execution.output))).toEqual({
      outcome: 'rejected',
      error: 'Rejected',
      cause: 'not this time',
    });
  });

  it('ends the wait with States.Timeout after the state’s TimeoutSecondsPath', async () => {
    const arn = await start('expire-1', { timeoutSeconds: 1 });
    await tokenOf('expire-1');

    const execution = await finished(arn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(execution.output))).toEqual({ outcome: 'expired' });
  });

  it('retries a Lambda error the definition names, and fails once the attempts are spent', async () => {
    const recovers = await start('flaky-1', { failures: 2 });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf('flaky-1'), output: '{}' }));
    const gaveUp = await start('flaky-2', { failures: 3 });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf('flaky-2'), output: '{}' }));

    expect(JSON.parse(String((await finished(recovers)).output))).toMatchObject({ attempts: 3 });
    const failed = await finished(gaveUp);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Transient');
  });

  it('stops a waiting execution on StopExecution, after which its token is refused', async () => {
    const arn = await start('stop-1');
    const token = await tokenOf('stop-1');

    await sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Revoked' }));

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(execution.status).toBe('ABORTED');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
  });

  it('treats a repeated StartExecution with the same name and input as the same execution', async () => {
    const first = await start('same-name');
    const again = await start('same-name');

    expect(again).toBe(first);
    await expect(start('same-name', { failures: 1 })).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    runner.stopExecution(first);
  });
});
