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
import { retried, waitForLink } from '../retry.ts';

/**
 * The step functions of the workflow, by state name (= construct id = file in steps/).
 * Recheck also serves RecheckConfirmed; EndDeletion serves Cancel and Expire.
 */
export interface DeletionSteps {
  Recheck: IFunction;
  AskConfirmation: IFunction;
  RemoveAccess: IFunction;
  RemovePersonalData: IFunction;
  ArchiveInvoices: IFunction;
  Finish: IFunction;
  EndDeletion: IFunction;
}

export const DELETION_STEPS = [
  'Recheck',
  'AskConfirmation',
  'RemoveAccess',
  'RemovePersonalData',
  'ArchiveInvoices',
  'Finish',
  'EndDeletion',
] as const;

/**
 * R28, the account-deletion workflow. Input: { organizationId, confirmationSeconds, confirmed? }.
 *
 *   Recheck ─▶ AskConfirmation (e-mail link; waits for it) ─▶ RecheckConfirmed ─▶ RemoveAccess
 *     ─▶ RemovePersonalData ─▶ ArchiveInvoices ─▶ Finish (final e-mail) ─▶ Deleted
 *   a requirement unmet (PreconditionsUnmet) ─▶ Cancel (e-mail) ─▶ Cancelled
 *   no confirmation before the timeout ─▶ Expire ─▶ Expired
 *
 * Every step is idempotent and retried with backoff, so a step that fails half way finishes
 * on a later attempt; if the retries run out the execution fails with the account still
 * marked as being deleted (nobody can use it: access was removed first), and starting the
 * workflow again with `confirmed: true` resumes it without asking again.
 */
export function accountDeletionDefinition(scope: Construct, steps: DeletionSteps): IChainable {
  const account = { organizationId: JsonPath.stringAt('$.organizationId') };
  const step = (
    id: string,
    fn: IFunction,
    final: string[] = [],
    io: { payload?: Record<string, unknown>; resultPath?: string } = {},
  ) =>
    retried(
      new LambdaInvoke(scope, id, {
        lambdaFunction: fn,
        payload: TaskInput.fromObject(io.payload ?? account),
        payloadResponseOnly: true,
        resultPath: io.resultPath ?? JsonPath.DISCARD,
      }),
      { final, attempts: 5 },
    );
  const end = (id: string, outcome: 'cancelled' | 'expired') =>
    retried(
      new LambdaInvoke(scope, id, {
        lambdaFunction: steps.EndDeletion,
        payload: TaskInput.fromObject({ ...account, outcome }),
        payloadResponseOnly: true,
        resultPath: JsonPath.DISCARD,
      }),
      { attempts: 5 },
    );

  const cancelled = end('Cancel', 'cancelled').next(new Succeed(scope, 'Cancelled'));
  const recheck = step('Recheck', steps.Recheck, ['PreconditionsUnmet']);
  recheck.addCatch(cancelled, { errors: ['PreconditionsUnmet'], resultPath: '$.unmet' });
  const recheckConfirmed = step('RecheckConfirmed', steps.Recheck, ['PreconditionsUnmet']);
  recheckConfirmed.addCatch(cancelled, { errors: ['PreconditionsUnmet'], resultPath: '$.unmet' });

  const ask = waitForLink(scope, 'AskConfirmation', {
    lambdaFunction: steps.AskConfirmation,
    payload: account,
    timeoutPath: '$.confirmationSeconds',
    resultPath: '$.confirmation',
  });
  ask.addCatch(end('Expire', 'expired').next(new Succeed(scope, 'Expired')), {
    errors: ['States.Timeout'],
    resultPath: '$.timeout',
  });

  const destroy = recheckConfirmed
    .next(step('RemoveAccess', steps.RemoveAccess))
    .next(step('RemovePersonalData', steps.RemovePersonalData))
    // The final e-mail names the date the invoices were archived until, not one computed again.
    .next(step('ArchiveInvoices', steps.ArchiveInvoices, [], { resultPath: '$.archive' }))
    .next(
      step('Finish', steps.Finish, [], {
        payload: { ...account, retainedUntil: JsonPath.stringAt('$.archive.until') },
      }),
    )
    .next(new Succeed(scope, 'Deleted'));

  return recheck.next(
    new Choice(scope, 'AlreadyConfirmed')
      .when(
        Condition.and(Condition.isPresent('$.confirmed'), Condition.booleanEquals('$.confirmed', true)),
        destroy,
      )
      .otherwise(ask.next(destroy)),
  );
}
