import { randomUUID } from 'node:crypto';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  accountOwner,
  api,
  awsClientConfig,
  control,
  eventually,
  local,
  MEMBER_RIGHTS,
  runWorkflow,
  waitForMail,
} from '../helpers.ts';

/**
 * Issue 15: a workflow execution that fails, times out or is aborted unexpectedly is a notice on
 * the ops topic (the stack's EventBridge rule), and locally the same rule makes the same notice,
 * visible in `npm start` and on the control endpoint.
 */
interface Notice {
  executionArn: string;
  status: string;
  message: string;
}

const executionPrefix = () =>
  String(local().stateMachines.Invitation).replace(':stateMachine:', ':execution:');

const notices = async () => ((await control('GET', '/ops/notices')) as { notices: Notice[] }).notices;

describe('failed workflow executions reach the ops topic', () => {
  it('makes a notice of a failed execution, with its ARN and status', async () => {
    const failed = await runWorkflow('PasswordReset', { notWhatItTakes: true });

    const notice = await eventually(async () =>
      (await notices()).find((n) => n.executionArn === failed.executionArn),
    );

    expect(failed.status).toBe('FAILED');
    expect(notice).toMatchObject({ status: 'FAILED' });
    expect(notice.message).toContain(`workflow execution FAILED — ${failed.executionArn}`);
  });

  it('makes a notice of an execution aborted by hand, but none of an invitation revoked on purpose', async () => {
    const { login, orgId } = await accountOwner('ops');
    const invite = async (email: string) => {
      const created = await api('POST', `/v1/organizations/${orgId}/invitations`, {
        token: login.idToken,
        json: { email, rights: MEMBER_RIGHTS },
      });
      // The workflow waits for the answer once the e-mail is out.
      await waitForMail(email);
      const { invitationId } = created.body as { invitationId: string };
      return { invitationId, executionArn: `${executionPrefix()}:${invitationId}` };
    };
    const byHand = await invite(`by-hand-${randomUUID()}@example.com`);
    const revoked = await invite(`revoked-${randomUUID()}@example.com`);

    await new SFNClient(awsClientConfig()).send(
      new StopExecutionCommand({ executionArn: byHand.executionArn }),
    );
    await api('DELETE', `/v1/organizations/${orgId}/invitations/${revoked.invitationId}`, {
      token: login.idToken,
    });
    const seen = await eventually(async () => {
      const all = await notices();
      return all.some((n) => n.executionArn === byHand.executionArn) ? all : undefined;
    });

    expect(seen.filter((n) => n.executionArn === byHand.executionArn).map((n) => n.status)).toEqual([
      'ABORTED',
    ]);
    expect(seen.filter((n) => n.executionArn === revoked.executionArn)).toEqual([]);
  });

  it('makes no notice of an execution that succeeds', async () => {
    const done = await runWorkflow('PasswordReset', {
      email: `nobody-${randomUUID()}@example.com`,
      requestId: randomUUID(),
    });

    expect(done.status).toBe('SUCCEEDED');
    expect((await notices()).filter((n) => n.executionArn === done.executionArn)).toEqual([]);
  });
});
