import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RolePolicy } from '../../../infra/local/iam.ts';
import type { LocalStepFunctions } from '../../../infra/local/stepfunctions.ts';
import { PARKED_CHANNEL, type Parked } from '../../fixtures/workflow/functions.ts';
import { startFixture } from '../../fixtures/workflow/local.ts';

let fixture: Awaited<ReturnType<typeof startFixture>>;
let sfn: SFNClient;
let runner: LocalStepFunctions;
let stateMachineArn: string;
const parked: Parked[] = [];
const channel = new BroadcastChannel(PARKED_CHANNEL);
channel.onmessage = (message) => parked.push((message as { data: Parked }).data);
/** Execution names of this run (the fixture counts attempts per name in a shared file). */
const run = randomUUID().slice(0, 8);
const named = (request: string) => `${request}-${run}`;

beforeAll(async () => {
  fixture = await startFixture();
  ({ sfn, runner } = fixture);
  stateMachineArn = fixture.machineArn('Approval');
});

afterAll(async () => {
  channel.close();
  await fixture.stop();
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

describe('what a task state’s Lambda invocation goes through', () => {
  it('fails with States.DataLimitExceeded when a result is over 256 KB, and passes below', async () => {
    const arn = fixture.machineArn('Payload');
    const small = runner.startExecution(arn, JSON.stringify({ bytes: 1000 }));
    const large = runner.startExecution(arn, JSON.stringify({ bytes: 300_000 }));

    expect((await runner.waitFor(small.executionArn)).status).toBe('SUCCEEDED');
    const failed = await runner.waitFor(large.executionArn);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('States.DataLimitExceeded');
  });

  it('refuses an execution input over 256 KB', () => {
    expect(() =>
      runner.startExecution(
        fixture.machineArn('Payload'),
        JSON.stringify({ bytes: 1, pad: 'x'.repeat(300_000) }),
      ),
    ).toThrow(expect.objectContaining({ name: 'InvalidExecutionInput' }));
  });

  it('fails a task whose state machine’s role may not invoke the function (Lambda.AWSLambdaException)', async () => {
    const denied = await startFixture({
      roles: (roles) => {
        for (const id of roles.keys()) if (id.startsWith('Payload')) roles.set(id, new RolePolicy(id, []));
      },
    });
    try {
      const execution = denied.runner.startExecution(
        denied.machineArn('Payload'),
        JSON.stringify({ bytes: 1 }),
      );
      const ended = await denied.runner.waitFor(execution.executionArn);

      expect(ended.status).toBe('FAILED');
      expect(ended.error).toBe('Lambda.AWSLambdaException');
      expect(ended.cause).toMatch(
        /is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:/,
      );
    } finally {
      await denied.stop();
    }
  });
});
