import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IChainable, JsonPath, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { retried } from '../retry.ts';

/** The step functions of the workflow, by state name (= construct id = file in steps/). */
export interface PasswordResetSteps {
  SendPasswordReset: IFunction;
}

/**
 * R2, "forgot password", after the answer. Input: `{ email, requestId }`.
 *
 *   SendPasswordReset → Done
 *
 * The route only counts the client's requests and starts this execution, the same two calls
 * for every login; whether the login exists, its cooldown and the e-mail are decided here,
 * where no caller can time them (issue 13).
 */
export function passwordResetDefinition(scope: Construct, steps: PasswordResetSteps): IChainable {
  return retried(
    new LambdaInvoke(scope, 'SendPasswordReset', {
      lambdaFunction: steps.SendPasswordReset,
      payload: TaskInput.fromObject({
        email: JsonPath.stringAt('$.email'),
        requestId: JsonPath.stringAt('$.requestId'),
      }),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
    }),
  ).next(new Succeed(scope, 'Done'));
}
