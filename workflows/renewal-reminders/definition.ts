import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  JsonPath,
  Map as MapState,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { retried } from '../retry.ts';

/** The step functions of the workflow, by state name (= construct id = file in steps/). */
export interface ReminderSteps {
  PlanRun: IFunction;
  RemindShard: IFunction;
  AdvanceLifecycle: IFunction;
}

/**
 * R25/R26, the daily renewal-reminder run. Input: `{ scheduledTime }` from EventBridge
 * Scheduler, or `{ day: 'YYYY-MM-DD' }` to run a given day (locally: `npm run reminders`).
 *
 *   PlanRun → EachShard (Map over the shards, 4 at a time):
 *     RemindShard → MoreAccounts? → RemindShard (the shard's next accounts) … → AdvanceLifecycle
 *   → Done
 *
 * Its cost grows with the products due that day: each shard step reads only the ranges of the
 * sparse term-end index that its stages and the lifecycle make due, and a step works at most
 * ACCOUNTS_PER_STEP accounts, so a busier day adds steps, not minutes to a step. AdvanceLifecycle expires what was not renewed and
 * releases what its grace period ended (R12). Every step is retried; re-running a day sends
 * nothing twice and changes nothing twice.
 */
export function renewalRemindersDefinition(scope: Construct, steps: ReminderSteps): IChainable {
  const plan = retried(
    new LambdaInvoke(scope, 'PlanRun', {
      lambdaFunction: steps.PlanRun,
      payloadResponseOnly: true,
      resultPath: '$.plan',
    }),
  );
  // The item ({ day, shard }) is the step's whole input.
  const remind = retried(
    new LambdaInvoke(scope, 'RemindShard', {
      lambdaFunction: steps.RemindShard,
      payloadResponseOnly: true,
    }),
  );
  // Its input is the shard's last reminder outcome, which names the day and the shard.
  const advance = retried(
    new LambdaInvoke(scope, 'AdvanceLifecycle', {
      lambdaFunction: steps.AdvanceLifecycle,
      payloadResponseOnly: true,
      resultPath: '$.lifecycle',
    }),
  );
  // A shard's accounts are worked ACCOUNTS_PER_STEP at a time: the step says whether more remain.
  const more = new Choice(scope, 'MoreAccounts')
    .when(Condition.booleanEquals('$.more', true), remind)
    .otherwise(advance);
  const eachShard = new MapState(scope, 'EachShard', {
    itemsPath: JsonPath.stringAt('$.plan.shards'),
    maxConcurrency: 4,
    resultPath: '$.shards',
  }).itemProcessor(remind.next(more));
  return plan.next(eachShard).next(new Succeed(scope, 'Done'));
}
