import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config/stages.ts';
import { ManagerStack } from './stacks/manager-stack.ts';

/**
 * The CDK app for one stage, as `cdk synth|deploy -c stage=…` builds it and as the infra
 * tests build it: the stack, its tags and the cdk-nag AWS Solutions checks, which fail
 * synthesis on any finding that is not acknowledged with a reason.
 */
export function createManagerApp(props: AppProps = {}): { app: App; stack: ManagerStack } {
  const app = new App(props);
  const stage = stageConfig(app.node.tryGetContext('stage'));
  const stack = new ManagerStack(app, `Manager-${stage.name}`, {
    stage,
    env: {
      account: stage.env?.account ?? process.env.CDK_DEFAULT_ACCOUNT,
      region: stage.env?.region ?? process.env.CDK_DEFAULT_REGION,
    },
    terminationProtection: stage.protectData,
    description: `Manager backend (${stage.name})`,
  });
  Tags.of(app).add('project', 'manager');
  Tags.of(app).add('stage', stage.name);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
