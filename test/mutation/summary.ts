/**
 * npm run test:mutation:summary — adds up the parts of the mutation run (stryker.config.mjs)
 * over issue 10's scope: services, repositories and entities. Reads each part's committed
 * incremental file, which StrykerJS also writes when a part is interrupted, and prints a markdown table
 * (docs/testing.md), then the mutants marked equivalent (`// Stryker disable … : reason`)
 * with their reasons: they are left out of the score, not hidden.
 */
import { existsSync, globSync, readFileSync } from 'node:fs';
import { incrementalFile, type Mutant, PARTS, type Report } from './parts.ts';

// The reason the log-line ignorer gives (a StrykerJS plugin, untyped).
const ignorer: string = './logger-ignorer.mjs';
const { LOG_LINE } = (await import(ignorer)) as { LOG_LINE: string };

const SCOPE = ['services', 'repositories', 'entities'].map((folder) => `functions/core/${folder}/`);
const DETECTED = new Set(['Killed', 'Timeout']);

interface Tally {
  detected: number;
  survived: number;
  noCoverage: number;
  equivalent: number;
  /** In a logger call: left out by test/mutation/logger-ignorer.mjs. */
  logLines: number;
  /** Reached only while modules load (ignoreStatic, stryker.config.mjs): left out, not equivalent. */
  static: number;
}
const empty = (): Tally => ({
  detected: 0,
  survived: 0,
  noCoverage: 0,
  equivalent: 0,
  logLines: 0,
  static: 0,
});
const isStatic = (m: Mutant) => m.status === 'Ignored' && (m.statusReason ?? '').startsWith('Static mutant');
const score = (t: Tally) => {
  const valid = t.detected + t.survived + t.noCoverage;
  return valid ? `${Math.floor((100 * t.detected) / valid)} %` : '–';
};
const add = (t: Tally, m: Mutant) => {
  if (DETECTED.has(m.status)) t.detected++;
  else if (m.status === 'Survived') t.survived++;
  else if (m.status === 'NoCoverage') t.noCoverage++;
  else if (m.status === 'Ignored' && m.statusReason === LOG_LINE) t.logLines++;
  else if (isStatic(m)) t.static++;
  else if (m.status === 'Ignored') t.equivalent++;
};

// Every file of the scope belongs to exactly one part.
const inScope = globSync('functions/core/{services,repositories,entities}/*.ts').sort();
const partOf = new Map<string, string>();
for (const [part, patterns] of Object.entries(PARTS)) {
  for (const file of patterns.flatMap((pattern) => globSync(pattern))) {
    if (partOf.has(file)) throw new Error(`${file} is in two parts: ${partOf.get(file)} and ${part}`);
    partOf.set(file, part);
  }
}
const outside = inScope.filter((file) => !partOf.has(file));
if (outside.length) throw new Error(`in no part: ${outside.join(', ')}`);

const rows: string[] = [];
const byFolder = new Map<string, Tally>();
const total = empty();
const equivalents: string[] = [];
const missing: string[] = [];
for (const part of Object.keys(PARTS)) {
  const incremental = incrementalFile(part);
  if (!existsSync(incremental)) {
    missing.push(part);
    rows.push(`| ${part} | not run | | | | | | | |`);
    continue;
  }
  const report = JSON.parse(readFileSync(incremental, 'utf8')) as Report;
  const tally = empty();
  let tested = 0;
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = SCOPE.find((prefix) => file.startsWith(prefix));
    if (!folder || partOf.get(file) !== part) continue;
    const own = byFolder.get(folder) ?? empty();
    byFolder.set(folder, own);
    for (const m of mutants) {
      tested++;
      for (const t of [tally, own, total]) add(t, m);
      if (m.status === 'Ignored' && m.statusReason !== LOG_LINE && !isStatic(m)) {
        equivalents.push(`- ${file}:${m.location.start.line} ${m.mutatorName}: ${m.statusReason ?? ''}`);
      }
    }
  }
  rows.push(
    // A report StrykerJS saves when interrupted leaves out the mutants it did not reach: the
    // count tested is all the file can tell (docs/testing.md gives each part's total).
    `| ${part} | ${tested} tested | ${score(tally)} | ${tally.detected} | ${tally.survived} | ${tally.noCoverage} | ${tally.equivalent} | ${tally.logLines} | ${tally.static} |`,
  );
}
for (const [folder, t] of byFolder) {
  rows.push(
    `| ${folder.slice('functions/core/'.length, -1)} (all parts) | | ${score(t)} | ${t.detected} | ${t.survived} | ${t.noCoverage} | ${t.equivalent} | ${t.logLines} | ${t.static} |`,
  );
}
rows.push(
  `| **all** | ${missing.length ? `${missing.length} parts not run` : ''} | **${score(total)}** | ${total.detected} | ${total.survived} | ${total.noCoverage} | ${total.equivalent} | ${total.logLines} | ${total.static} |`,
);

console.log('| part | run | score | killed | survived | no coverage | equivalent | log lines | static |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
if (equivalents.length)
  console.log(`\nMarked equivalent (left out of the score):\n${equivalents.join('\n')}`);
