import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/manager-function.ts';
import { loadContracts, openApiDocument, serialize } from '../../infra/openapi.ts';
import { REQUEST_EXAMPLES } from '../../infra/openapi-examples.ts';
import { ROUTES } from '../../infra/stacks/routes.ts';

/** The contract for product clients (issue 14): generated from the route schemas, linted, complete. */
const committed = readFileSync(join(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8');
const document = JSON.parse(committed) as {
  paths: Record<
    string,
    Record<string, { summary: string; responses: Record<string, unknown>; security: unknown[] }>
  >;
};

describe('docs/openapi.json', () => {
  it('is the document the routes’ own schemas make (run `npm run openapi` after changing one)', async () => {
    const generated = serialize(openApiDocument(await loadContracts()));

    expect(committed).toBe(generated);
  });

  it('describes every route of the stack, each with a summary, its success answers and its problems', () => {
    for (const spec of ROUTES) {
      const [method = '', path = ''] = spec.route.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];

      expect(operation, spec.route).toBeDefined();
      expect(operation?.summary, spec.route).toMatch(/^\S/);
      const statuses = Object.keys(operation?.responses ?? {});
      expect(
        statuses.some((s) => s.startsWith('2')),
        `${spec.route} declares its success`,
      ).toBe(true);
      expect(statuses, spec.route).toContain('400');
      expect(operation?.security, spec.route).toEqual(spec.public ? [] : [{ jwt: [] }]);
    }
  });

  it('lets every route that takes an Idempotency-Key write the table, where the key is kept', async () => {
    const contracts = await loadContracts();
    const idempotent = ROUTES.filter((spec) => contracts.get(spec.id)?.idempotent);

    expect(idempotent.length).toBeGreaterThan(10);
    expect(idempotent.filter((spec) => spec.table !== 'write').map((spec) => spec.route)).toEqual([]);
  });

  it('gives examples that the routes themselves accept', async () => {
    const contracts = await loadContracts();
    const refused = Object.entries(REQUEST_EXAMPLES).flatMap(([id, example]) => {
      const body = contracts.get(id)?.request?.body;
      if (!body) return [[id, 'no such route with a body']];
      const checked = body.safeParse(example.value);
      return checked.success
        ? []
        : [[id, checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)]];
    });

    expect(refused).toEqual([]);
    expect(Object.keys(REQUEST_EXAMPLES).length).toBeGreaterThanOrEqual(15);
  });

  it('types the client with what the document says (clients/typescript/schema.d.ts is current)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'schema.d.ts');
    const generated = spawnSync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
        'docs/openapi.json',
        '-o',
        out,
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    );

    expect(generated.status, generated.stderr).toBe(0);
    expect(readFileSync(join(PROJECT_ROOT, 'clients', 'typescript', 'schema.d.ts'), 'utf8')).toBe(
      readFileSync(out, 'utf8'),
    );
  });

  it('passes Redocly’s recommended rules with no error and no warning', () => {
    const lint = spawnSync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'),
        'lint',
        'docs/openapi.json',
        '--format=summary',
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    );

    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout + lint.stderr).not.toMatch(/warning/i);
  });
});
