import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  JsonPath,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { retried, waitForLink } from '../tasks.ts';

export interface InvitationSteps {
  send: IFunction;
  confirm: IFunction;
  expire: IFunction;
  notify: IFunction;
}

/**
 * R9, the invite-acceptance workflow. Input: { organizationId, invitationId, expiresInSeconds }.
 *
 *   SendInvitation ──(task token; accept route resumes it)──▶ ConfirmAcceptance ─▶ NotifyAccepted ─▶ Accepted
 *        │ States.Timeout (expiry)                               (membership made by the accept transaction)
 *        ▼
 *   MarkExpired ─▶ expired? ─▶ NotifyExpired ─▶ Expired
 *        │ InvitationRevoked (revoked before the e-mail)  ─▶ Revoked
 *
 * Revoking later stops the execution (StopExecution). Every step is idempotent and retried.
 */
export function invitationDefinition(scope: Construct, steps: InvitationSteps): IChainable {
  const ref = {
    organizationId: JsonPath.stringAt('$.organizationId'),
    invitationId: JsonPath.stringAt('$.invitationId'),
  };
  // Expiry and revocation end the wait for good; anything else (SES, DynamoDB) is retried.
  const send = waitForLink(scope, 'SendInvitation', {
    lambdaFunction: steps.send,
    payload: ref,
    timeoutPath: '$.expiresInSeconds',
    resultPath: '$.acceptance',
    final: ['InvitationRevoked'],
  });

  const confirm = retried(
    new LambdaInvoke(scope, 'ConfirmAcceptance', {
      lambdaFunction: steps.confirm,
      payload: TaskInput.fromObject(ref),
      payloadResponseOnly: true,
      resultPath: '$.confirmed',
    }),
  );
  const notify = (id: string, outcome: 'accepted' | 'expired') =>
    retried(
      new LambdaInvoke(scope, id, {
        lambdaFunction: steps.notify,
        payload: TaskInput.fromObject({ ...ref, outcome }),
        payloadResponseOnly: true,
        resultPath: JsonPath.DISCARD,
      }),
    );
  const expire = retried(
    new LambdaInvoke(scope, 'MarkExpired', {
      lambdaFunction: steps.expire,
      payload: TaskInput.fromObject(ref),
      payloadResponseOnly: true,
      resultPath: '$.expiry',
    }),
  );

  const expired = new Succeed(scope, 'Expired');
  send.addCatch(
    expire.next(
      new Choice(scope, 'WasItExpired')
        .when(
          Condition.booleanEquals('$.expiry.expired', true),
          notify('NotifyExpired', 'expired').next(expired),
        )
        .otherwise(new Succeed(scope, 'EndedOtherwise')),
    ),
    { errors: ['States.Timeout'], resultPath: '$.timeout' },
  );
  send.addCatch(new Succeed(scope, 'Revoked'), { errors: ['InvitationRevoked'], resultPath: '$.revoked' });

  return send.next(confirm).next(notify('NotifyAccepted', 'accepted')).next(new Succeed(scope, 'Accepted'));
}
