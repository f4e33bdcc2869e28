import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { INVITATION_REVOKED } from '../../functions/core/entities/invitation.ts';
import { BUSINESS_EVENTS } from '../../functions/core/metrics.ts';
import type { StageConfig } from '../config/stages.ts';
import { METRICS_NAMESPACE } from './manager-function.ts';

/** Why an execution may be stopped on purpose: such an abort is no failure. */
export const EXPECTED_STOPS = [INVITATION_REVOKED];

export interface OperationsProps {
  stage: StageConfig;
  api: HttpApi;
  table: Table;
  workflows: Record<string, StateMachine>;
}

/**
 * What tells the stage's operators that something is wrong (issue 15): one ops topic (its
 * subscribers from the stage config), an alarm for each kind of failure with its threshold from
 * the stage config, a notice for every workflow execution that failed, timed out or was aborted
 * unexpectedly (with its ARN), and a dashboard of it all. docs/operations.md says what each
 * alarm means and what to do.
 *
 * Lambda and SES alarms are on the account's metrics: a stage has an account of its own
 * (`env` in the stage config), and per-function alarms for 67 functions would cost 134 of the
 * stack's 500 resources.
 */
export class Operations extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { stage } = props;
    const limits = stage.ops.alarms;

    // Alarms and EventBridge publish to an encrypted topic only with a key they may use.
    const key = new Key(this, 'TopicKey', {
      description: `Encrypts the ${stage.name} ops topic`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      key.grant(new ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }
    this.topic = new Topic(this, 'Topic', {
      displayName: `Manager ${stage.name} operations`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of stage.ops.emails) this.topic.addSubscription(new EmailSubscription(email));

    const alarm = (name: string, metric: IMetric, threshold: number, description: string) => {
      const made = new Alarm(this, name, {
        alarmDescription: `${description} (docs/operations.md#${name.toLowerCase()})`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(new SnsAction(this.topic));
      made.addOkAction(new SnsAction(this.topic));
      this.alarms.push(made);
      return made;
    };
    const five = Duration.minutes(5);
    const account = (namespace: string, metricName: string, statistic = 'Sum') =>
      new Metric({ namespace, metricName, statistic, period: five });

    alarm(
      'Api5xxRate',
      new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period: five, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: five, statistic: 'Sum' }),
        },
        label: 'API 5xx, % of requests',
        period: five,
      }),
      limits.api5xxPercent,
      'The API answers more 5xx than the stage allows',
    );
    alarm(
      'ApiLatencyP99',
      props.api.metricLatency({ period: five, statistic: 'p99' }),
      limits.apiP99Ms,
      'The slowest 1 % of API requests take longer than the stage allows',
    );
    alarm(
      'LambdaErrors',
      account('AWS/Lambda', 'Errors'),
      limits.lambdaErrors,
      'Functions of the stage fail (unhandled errors, timeouts)',
    );
    alarm('LambdaThrottles', account('AWS/Lambda', 'Throttles'), 0, 'Functions are throttled');
    for (const [name, machine] of Object.entries(props.workflows)) {
      alarm(
        `${name}Failures`,
        new MathExpression({
          expression: 'failed + timedOut + aborted',
          usingMetrics: {
            failed: machine.metricFailed({ period: five }),
            timedOut: machine.metricTimedOut({ period: five }),
            aborted: machine.metricAborted({ period: five }),
          },
          label: `${name} executions failed, timed out or aborted`,
          period: five,
        }),
        0,
        `${name} executions failed, timed out or were aborted`,
      );
    }
    alarm(
      'SchedulerFailures',
      new MathExpression({
        expression: 'targetErrors + dropped + deadLettered',
        usingMetrics: {
          targetErrors: account('AWS/Scheduler', 'TargetErrorCount'),
          dropped: account('AWS/Scheduler', 'InvocationDroppedCount'),
          deadLettered: account('AWS/Scheduler', 'InvocationsSentToDeadLetterCount'),
        },
        label: 'Schedule starts that failed',
        period: five,
      }),
      0,
      'The daily reminder schedule could not start its workflow',
    );
    alarm(
      'SesBounceRate',
      new Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        statistic: 'Maximum',
        period: five,
      }),
      limits.sesBounceRate,
      'Too many e-mails bounce: SES reviews the account from 5 %, pauses it from 10 %',
    );
    alarm(
      'SesComplaintRate',
      new Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.ComplaintRate',
        statistic: 'Maximum',
        period: five,
      }),
      limits.sesComplaintRate,
      'Too many e-mails are reported as spam: SES reviews the account from 0.1 %',
    );
    // The operations the functions use (a metric per operation, summed).
    const operations = [
      Operation.GET_ITEM,
      Operation.QUERY,
      Operation.PUT_ITEM,
      Operation.UPDATE_ITEM,
      Operation.DELETE_ITEM,
      Operation.BATCH_GET_ITEM,
      Operation.BATCH_WRITE_ITEM,
      Operation.TRANSACT_WRITE_ITEMS,
    ];
    alarm(
      'DynamoDbThrottles',
      props.table.metricThrottledRequestsForOperations({ operations, period: five }),
      0,
      'Table requests are throttled',
    );
    alarm(
      'DynamoDbSystemErrors',
      props.table.metricSystemErrorsForOperations({ operations, period: five }),
      0,
      'DynamoDB answers requests with internal errors',
    );

    // Every execution that ends badly is a notice with its ARN, not only a count in an alarm.
    new Rule(this, 'FailedExecutions', {
      description: 'Notifies the ops topic of each workflow execution that failed, timed out or was aborted.',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: Object.values(props.workflows).map((m) => m.stateMachineArn),
          $or: [
            { status: ['FAILED', 'TIMED_OUT'] },
            { status: ['ABORTED'], error: [{ 'anything-but': EXPECTED_STOPS }] },
          ],
        },
      },
      targets: [
        new SnsTopic(this.topic, {
          message: RuleTargetInput.fromText(
            `Manager ${stage.name}: workflow execution ${EventField.fromPath('$.detail.status')} — ` +
              `${EventField.fromPath('$.detail.executionArn')} (${EventField.fromPath('$.detail.error')})`,
          ),
        }),
      ],
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `Manager-${stage.name}`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
      new GraphWidget({
        title: 'API',
        left: [props.api.metricCount({ period: five }), props.api.metricServerError({ period: five })],
        right: [props.api.metricLatency({ period: five, statistic: 'p99' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Functions',
        left: [account('AWS/Lambda', 'Invocations'), account('AWS/Lambda', 'Errors')],
        right: [account('AWS/Lambda', 'Throttles')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Workflows',
        left: Object.values(props.workflows).map((m) => m.metricSucceeded({ period: five })),
        right: Object.values(props.workflows).map((m) => m.metricFailed({ period: five })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Business events (per hour)',
        left: BUSINESS_EVENTS.map(
          (metricName) =>
            new Metric({
              namespace: METRICS_NAMESPACE,
              metricName,
              dimensionsMap: { service: 'manager' },
              statistic: 'Sum',
              period: Duration.hours(1),
            }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Table',
        left: [
          props.table.metricConsumedReadCapacityUnits({ period: five }),
          props.table.metricConsumedWriteCapacityUnits({ period: five }),
        ],
        width: 12,
      }),
    );
  }
}
