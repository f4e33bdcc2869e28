import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { FEATURE_FLAGS } from '../config/feature-flags.ts';
import { type StageConfig, stageConfig } from '../config/stages.ts';
import { createManagerStacks } from '../stacks/manager-stacks.ts';
import { type CfnTemplate, mergeTemplates, type SynthesizedTemplate } from './template.ts';

/**
 * Synthesizes the stage's stacks in-process, as one template (`mergeTemplates`). Without
 * `outdir` nothing is bundled (the local stack runs the sources); with it, every function is
 * bundled as for a deployment, into that directory.
 */
export function synthesizeTemplate(
  stage: string | StageConfig = 'dev',
  options: { outdir?: string } = {},
): SynthesizedTemplate {
  const config = typeof stage === 'string' ? stageConfig(stage) : stage;
  const app = new App({
    context: {
      ...FEATURE_FLAGS,
      stage: config.name,
      ...(options.outdir ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stacks = createManagerStacks(app, config);
  const assembly = app.synth();
  const templates: { stackName: string; template: CfnTemplate; dependsOn: string[] }[] = [];
  const assets = new Map<string, string>();
  for (const stack of stacks.all) {
    const artifact = assembly.getStackByName(stack.stackName);
    templates.push({
      stackName: artifact.stackName,
      template: artifact.template as CfnTemplate,
      dependsOn: artifact.dependencies.map((d) => d.id),
    });
    const manifest = join(assembly.directory, `${artifact.stackName}.assets.json`);
    if (!options.outdir || !existsSync(manifest)) continue;
    const { files = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      files?: Record<string, { source: { path: string; packaging?: string } }>;
    };
    for (const [hash, file] of Object.entries(files)) {
      if (file.source.packaging === 'zip')
        assets.set(`${hash}.zip`, join(assembly.directory, file.source.path));
    }
  }
  return { template: mergeTemplates(templates), assets };
}
