import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/data-model.md is the list of access patterns a reviewer reads instead of the code: every
 * repository function that talks to DynamoDB or S3 must have its line there, and the table's
 * code must not use Scan.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const REPOSITORIES = join(ROOT, 'functions', 'core', 'repositories');
/** Shared helpers (transactions, paging, batch deletes), used by the access patterns. */
const HELPERS = new Set(['table']);

const doc = readFileSync(join(ROOT, 'docs', 'data-model.md'), 'utf8');
const modules = readdirSync(REPOSITORIES)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ name: f.replace(/\.ts$/, ''), source: readFileSync(join(REPOSITORIES, f), 'utf8') }));

describe('docs/data-model.md', () => {
  it('names every access pattern of the repositories', () => {
    const patterns = modules
      .filter((m) => !HELPERS.has(m.name))
      .flatMap((m) =>
        [...m.source.matchAll(/^export async function (\w+)/gm)].map((x) => `${m.name}.${x[1]}`),
      );
    expect(patterns.length).toBeGreaterThan(70);
    expect(patterns.filter((p) => !doc.includes(`\`${p}\``))).toEqual([]);
  });

  it('documents no function that no longer exists', () => {
    const names = new Set(modules.map((m) => m.name));
    const documented = [...doc.matchAll(/`(\w+)\.(\w+)`/g)].filter((m) => names.has(m[1] ?? ''));
    const missing = documented.filter(
      ([, file, fn]) =>
        !new RegExp(`function ${fn}[<(]`).test(modules.find((m) => m.name === file)?.source ?? ''),
    );
    expect(missing.map((m) => m[0])).toEqual([]);
  });

  it('finds no Scan anywhere in the code that serves requests', () => {
    const scans = modules.filter((m) => /\bScan(Command)?\b/.test(m.source)).map((m) => m.name);
    expect(scans).toEqual([]);
  });
});
