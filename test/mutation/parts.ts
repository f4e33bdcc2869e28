/**
 * The parts of the mutation run as stryker.config.mjs defines them, each one's committed
 * incremental file (StrykerJS's own report format), for the scripts that read or edit them
 * (summary.ts, retest.ts).
 */

// A plain ES module, untyped.
const config: string = '../../stryker.config.mjs';
export const { PARTS } = (await import(config)) as { PARTS: Record<string, string[]> };

/** Where a part keeps its incremental file (`incrementalFile` in stryker.config.mjs). */
export const incrementalFile = (part: string) => new URL(`${part}-incremental.json`, import.meta.url);

export interface Mutant {
  status: string;
  statusReason?: string;
  mutatorName: string;
  location: { start: { line: number } };
}
export interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}
