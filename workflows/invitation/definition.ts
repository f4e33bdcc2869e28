import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { retried, waitForLink } from '../retry.ts';

/** The step functions of the workflow, by state name (= construct id = file in steps/). */
export interface InvitationSteps {
  SendInvitation: IFunction;
  ConfirmAcceptance: IFunction;
  MarkExpired: IFunction;
  NotifyInviter: IFunction;
}

export const INVITATION_STEPS = [
  'SendInvitation',
  'ConfirmAcceptance',
  'MarkExpired',
  'NotifyInviter',
] as const;

/**
 * R9, the invite-acceptance workflow. Input: { organizationId, invitationId, expiresInSeconds }.
 *
 *   SendInvitation ──(task token; accept route resumes it)──▶ ConfirmAcceptance ─▶ NotifyInviter ─▶ Ended
 *        │ States.Timeout (expiry)                               (membership made by the accept transaction)
 *        ▼
 *   MarkExpired ─▶ expired? ─▶ NotifyInviter ─▶ Ended
 *        │ InvitationRevoked (revoked before the e-mail)  ─▶ Revoked
 *        │ InvitationAlreadyAccepted (a retry after the acceptance) ─▶ ConfirmAcceptance
 *
 * Revoking later stops the execution (StopExecution). Every step is idempotent and retried.
 */
export function invitationDefinition(scope: Construct, steps: InvitationSteps): sfn.IChainable {
  const ref = {
    organizationId: sfn.JsonPath.stringAt('$.organizationId'),
    invitationId: sfn.JsonPath.stringAt('$.invitationId'),
  };
  // Expiry and revocation end the wait for good; anything else (SES, DynamoDB) is retried.
  const send = waitForLink(scope, 'SendInvitation', {
    lambdaFunction: steps.SendInvitation,
    payload: ref,
    timeoutPath: '$.expiresInSeconds',
    resultPath: '$.acceptance',
    final: ['InvitationRevoked', 'InvitationAlreadyAccepted'],
  });
  const step = (id: keyof InvitationSteps, resultPath: string) =>
    retried(
      new LambdaInvoke(scope, id, {
        lambdaFunction: steps[id],
        payload: sfn.TaskInput.fromObject(ref),
        payloadResponseOnly: true,
        resultPath,
      }),
    );
  // The inviter is told of whichever ending the invitation's status records.
  const notify = step('NotifyInviter', sfn.JsonPath.DISCARD).next(new sfn.Succeed(scope, 'Ended'));
  const expire = step('MarkExpired', '$.expiry');

  send.addCatch(
    expire.next(
      new sfn.Choice(scope, 'WasItExpired')
        .when(sfn.Condition.booleanEquals('$.expiry.expired', true), notify)
        .otherwise(new sfn.Succeed(scope, 'EndedOtherwise')),
    ),
    { errors: ['States.Timeout'], resultPath: '$.timeout' },
  );
  send.addCatch(new sfn.Succeed(scope, 'Revoked'), {
    errors: ['InvitationRevoked'],
    resultPath: '$.revoked',
  });
  const confirm = step('ConfirmAcceptance', '$.confirmed');
  // A retried send step may find the invitation accepted through an earlier attempt's link.
  send.addCatch(confirm, { errors: ['InvitationAlreadyAccepted'], resultPath: '$.acceptance' });

  return send.next(confirm).next(notify);
}
