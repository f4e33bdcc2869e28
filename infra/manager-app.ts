import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FEATURE_FLAGS } from './config/feature-flags.ts';
import { stageConfig } from './config/stages.ts';
import { createManagerStacks, type ManagerStacks } from './stacks/manager-stacks.ts';

/**
 * The CDK app for one stage, as `cdk synth|deploy -c stage=…` builds it and as the infra
 * tests build it: the stage's stacks, their tags and the cdk-nag AWS Solutions checks, which
 * fail synthesis on any finding that is not acknowledged with a reason.
 */
export function createManagerApp(props: AppProps = {}): { app: App; stacks: ManagerStacks } {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const stage = stageConfig(app.node.tryGetContext('stage'));
  const stacks = createManagerStacks(app, stage, {
    env: {
      account: stage.env?.account ?? process.env.CDK_DEFAULT_ACCOUNT,
      region: stage.env?.region ?? process.env.CDK_DEFAULT_REGION,
    },
    terminationProtection: stage.protectData,
  });
  Tags.of(app).add('project', 'manager');
  Tags.of(app).add('stage', stage.name);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stacks };
}
