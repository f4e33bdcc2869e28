import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Operations } from '../constructs/operations.ts';
import type { ApiStack } from './api-stacks.ts';
import type { DataStack, ManagerStackProps } from './data-stack.ts';
import type { WorkflowsStack } from './workflows-stack.ts';

export interface OperationsStackProps extends ManagerStackProps {
  data: DataStack;
  workflows: WorkflowsStack;
  api: ApiStack;
}

/** Alarms, the ops topic, the failed-execution notices and the dashboard of the stage. */
export class OperationsStack extends Stack {
  public readonly operations: Operations;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.operations = new Operations(this, 'Operations', {
      stage: props.stage,
      api: props.api.api.httpApi,
      table: props.data.table.table,
      workflows: props.workflows.stateMachines,
    });
  }
}
