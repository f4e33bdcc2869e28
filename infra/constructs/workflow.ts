import { type CfnElement, type Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  type IChainable,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';

export interface WorkflowProps {
  stage: StageConfig;
  /**
   * Builds the definition from CDK chainables (`workflows/<name>/definition.ts`), inside this
   * construct so that state names only need to be unique within one workflow.
   */
  definition: (scope: Construct) => IChainable;
  comment: string;
  /** Upper bound of one execution (an invitation waits up to its expiry). */
  timeout: Duration;
  /** The functions its tasks invoke (their versions and aliases are granted too). */
  invokes?: IFunction[];
}

/**
 * A Standard state machine with the house defaults: full execution logging (without
 * execution data, which may hold personal data), X-Ray tracing and a hard timeout.
 */
export class Workflow extends Construct {
  public readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const logs = new LogGroup(this, 'Logs', {
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(props.definition(this)),
      comment: props.comment,
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of props.invokes ?? []) {
      const id = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(this).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on the task function and its versions, as CDK grants it.',
      });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery, …) and X-Ray tracing actions support no ' +
        'resource-level permissions; CDK adds exactly those.',
    });
  }
}
