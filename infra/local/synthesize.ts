import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { type StageConfig, stageConfig } from '../config/stages.ts';
import { ManagerStack } from '../stacks/manager-stack.ts';
import type { CfnTemplate, SynthesizedTemplate } from './template.ts';

/**
 * Synthesizes the stack in-process. Without `outdir` nothing is bundled (the local stack runs
 * the sources); with it, every function is bundled as for a deployment, into that directory.
 */
export function synthesizeTemplate(
  stage: string | StageConfig = 'dev',
  options: { outdir?: string } = {},
): SynthesizedTemplate {
  const config = typeof stage === 'string' ? stageConfig(stage) : stage;
  const app = new App({
    context: { stage: config.name, ...(options.outdir ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = new ManagerStack(app, `Manager-${config.name}`, { stage: config });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const assets = new Map<string, string>();
  if (options.outdir) {
    const manifest = join(assembly.directory, `${artifact.stackName}.assets.json`);
    if (existsSync(manifest)) {
      const { files = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        files?: Record<string, { source: { path: string; packaging?: string } }>;
      };
      for (const [hash, file] of Object.entries(files)) {
        if (file.source.packaging === 'zip')
          assets.set(`${hash}.zip`, join(assembly.directory, file.source.path));
      }
    }
  }
  return { template: artifact.template as CfnTemplate, assets };
}
