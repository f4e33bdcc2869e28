import {
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { logger } from './logger.ts';

/** Step Functions, as the API handlers use it: start or stop a workflow, resume a waiting task. */
const sfn = /* @__PURE__ */ new SFNClient({});

/** Starts an execution; its name makes a retried start the same execution. */
export async function startWorkflow(stateMachineArn: string, name: string, input: unknown): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
  );
  return String(executionArn);
}

/** A task that already ended (timed out, stopped, resumed) is not an error for the caller. */
const ENDED = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export async function resumeTask(taskToken: string, output: unknown): Promise<boolean> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    if (!ENDED.has((error as Error).name)) throw error;
    logger.info('task already ended', { error: (error as Error).name });
    return false;
  }
}

/** Stops the execution started under `name`; one that already ended is left as it is. */
export async function stopWorkflow(stateMachineArn: string, name: string, error: string): Promise<void> {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, error }));
  } catch (e) {
    if ((e as Error).name !== 'ExecutionDoesNotExist') throw e;
  }
}
