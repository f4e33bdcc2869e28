import type { Server } from 'node:http';
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
import { LocalLambdas } from '../../../infra/local/lambdas.ts';
import { freePort } from '../../../infra/local/process.ts';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions.ts';
import { describeTemplate } from '../../../infra/local/template.ts';
import { parked } from '../../fixtures/workflow/functions.ts';
import { synthesizeFixtureWorkflow } from '../../fixtures/workflow/stack.ts';

let server: Server;
let sfn: SFNClient;
let runner: LocalStepFunctions;
let stateMachineArn: string;

beforeAll(async () => {
  const described = describeTemplate(synthesizeFixtureWorkflow(), { userPoolId: '-', userPoolClientId: '-' });
  runner = new LocalStepFunctions(
    described.stateMachines,
    new LocalLambdas(PROJECT_ROOT, described.functions),
    {
      retryIntervalMs: 5,
    },
  );
  [stateMachineArn] = runner.stateMachineArns as [string];
  server = runner.createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-central-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  runner.stopAll();
  await new Promise((resolve) => server.close(resolve));
});

async function start(request: string, input: Record<string, unknown> = {}) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: request,
      input: JSON.stringify({ request, timeoutSeconds: 30, failures: 0, ...input }),
    }),
  );
  return String(executionArn);
}

async function tokenOf(request: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const found = parked().find((p) => p.request === request);
    if (found) return found.token;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no task token parked for ${request}`);
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
    expect(token).not.toBe(parked().find((p) => p.request === 'approve-1')?.token);
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
