import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  IntegrationPattern,
  JsonPath,
  TaskInput,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/**
 * The retry policy of every workflow step: any failure (Lambda, SES, DynamoDB) is retried with
 * backoff (2 s, 4 s, 8 s…), which is safe because every step is idempotent. Errors named in
 * `final` end the step at once, for a Catch to handle (an expiry, a revocation, a requirement
 * that no retry can meet).
 */
export function retried<T extends TaskStateBase>(
  task: T,
  options: { final?: string[]; attempts?: number } = {},
): T {
  if (options.final?.length) task.addRetry({ errors: options.final, maxAttempts: 0 });
  task.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: options.attempts ?? 4,
  });
  return task;
}

/**
 * A step that hands its task token to a function (which e-mails a link) and waits until the
 * link's route resumes it, or `timeoutPath` seconds pass. The timeout and the `final` errors end
 * the wait for good (retrying would send a new link); anything else is retried.
 */
export function waitForLink(
  scope: Construct,
  id: string,
  props: {
    lambdaFunction: IFunction;
    payload: Record<string, unknown>;
    timeoutPath: string;
    resultPath: string;
    final?: string[];
  },
): LambdaInvoke {
  return retried(
    new LambdaInvoke(scope, id, {
      lambdaFunction: props.lambdaFunction,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...props.payload, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.at(props.timeoutPath),
      resultPath: props.resultPath,
      retryOnServiceExceptions: false,
    }),
    { final: ['States.Timeout', ...(props.final ?? [])] },
  );
}
