/**
 * npm run test:mutation:retest -- <part> — drops the surviving and uncovered mutants from a
 * part's incremental file, so that the part's next run (`MUTATION_PART=<part> npm run
 * test:mutation`) tests them anew and keeps every other result. StrykerJS reuses a mutant's
 * result while the mutant's code and the tests that covered it are unchanged; a change elsewhere
 * in the code it runs (another module, a helper) leaves a stale "survived" (docs/testing.md).
 * Run the part to its end afterwards: a report StrykerJS saves on an interrupt holds only the
 * mutants it reached, so the dropped ones it did not reach would be missing from the score
 * (`git checkout` the file to undo).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { incrementalFile, PARTS, type Report } from './parts.ts';

const part = process.argv[2] ?? '';
if (!(part in PARTS)) {
  console.error(`usage: npm run test:mutation:retest -- <part>, one of: ${Object.keys(PARTS).join(', ')}`);
  process.exit(2);
}
const file = incrementalFile(part);
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
let dropped = 0;
for (const entry of Object.values(report.files)) {
  const kept = entry.mutants.filter((m) => m.status !== 'Survived' && m.status !== 'NoCoverage');
  dropped += entry.mutants.length - kept.length;
  entry.mutants = kept;
}
// Indented as StrykerJS writes it, so that the committed file's diff shows only what changed.
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`${part}: ${dropped} survivors and uncovered mutants will be tested anew by its next run`);
