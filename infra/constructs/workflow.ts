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
import { ManagerFunction } from './manager-function.ts';

export interface WorkflowProps<S extends string> {
  stage: StageConfig;
  /** `workflows/<directory>/`: its definition and `steps/`, one file per state. */
  directory: string;
  /**
   * The step functions, by state name: each runs `steps/<state-name>.ts` (kebab-case), is a
   * construct of that name, and gets what its binder grants it (nothing else).
   */
  steps: Record<S, WorkflowStep>;
  /** Builds the definition from CDK chainables (`workflows/<name>/definition.ts`). */
  definition: (scope: Construct, steps: Record<S, IFunction>) => IChainable;
  comment: string;
  /** Upper bound of one execution (an invitation waits up to its expiry). */
  timeout: Duration;
}

export interface WorkflowStep {
  bind: (fn: ManagerFunction) => ManagerFunction;
  timeout?: Duration;
  /** Another module than `steps/<state-name>.ts` (test fixtures only). */
  entry?: string;
  handler?: string;
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * A Standard state machine with the house defaults — full execution logging (without execution
 * data, which may hold personal data), X-Ray tracing and a hard timeout — and its step
 * functions, created in its scope so that state names only need to be unique within one workflow.
 */
export class Workflow<S extends string> extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly steps: Record<S, IFunction>;

  constructor(scope: Construct, id: string, props: WorkflowProps<S>) {
    super(scope, id);
    const entries = Object.entries(props.steps) as [S, WorkflowProps<S>['steps'][S]][];
    // The states are constructs of this workflow too: the functions get a scope of their own.
    const stepScope = new Construct(this, 'Steps');
    this.steps = Object.fromEntries(
      entries.map(([state, step]) => {
        const fn = new ManagerFunction(stepScope, state, {
          stage: props.stage,
          entry: step.entry ?? `workflows/${props.directory}/steps/${kebab(state)}.ts`,
          ...(step.handler ? { handler: step.handler } : {}),
          ...(step.timeout ? { timeout: step.timeout } : {}),
        });
        return [state, step.bind(fn).fn];
      }),
    ) as unknown as Record<S, IFunction>;
    // Under /aws/vendedlogs/: CloudWatch Logs then needs no resource policy per log group for
    // Step Functions' delivery (a policy per group soon exceeds its 5,120-character limit).
    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/Manager-${props.stage.name}-${id}`,
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(props.definition(this, this.steps)),
      comment: props.comment,
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of Object.values<IFunction>(this.steps)) {
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
