import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_END, BENCH_START, type BenchResults, benchTable } from '../../../bench/readme.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A markdown table's cells, whatever the padding a formatter gave them. */
const cells = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^-+$/, '---')),
    );

describe('the README’s benchmark table', () => {
  it('is the one bench/results.json makes (npm run bench writes both)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const results = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
    const shown = readme.slice(readme.indexOf(BENCH_START) + BENCH_START.length, readme.indexOf(BENCH_END));

    expect(cells(shown)).toEqual(cells(benchTable(results)));
    expect(cells(shown).length).toBeGreaterThan(6);
  });
});
