import { Duration } from 'aws-cdk-lib';
import type { TaskStateBase } from 'aws-cdk-lib/aws-stepfunctions';

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
