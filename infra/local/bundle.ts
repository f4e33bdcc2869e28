import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, version } from 'esbuild';
import { BUNDLING } from '../constructs/manager-function.ts';
import type { LocalFunction } from './template.ts';

/**
 * The local build of the functions: their sources bundled with the options CDK bundles them
 * with for Lambda (format, target, minification, banner, installed node modules), in one
 * esbuild run with code splitting — seconds for all of them — into a directory named after the
 * hash of every input, so an unchanged tree is not built twice. Loading a bundle is what a cold
 * start in Lambda does, and it is several times faster than loading the TypeScript sources.
 */
const SOURCE_DIRS = ['functions', 'workflows'];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.ts') || name.endsWith('.json')) yield path;
  }
}

/** Where each entry's bundle is, by entry (`functions/me/get.ts` → …/functions/me/get.mjs). */
export async function bundleFunctions(
  root: string,
  of: Iterable<LocalFunction>,
): Promise<Map<string, string>> {
  const functions = [...of];
  const entries = [...new Set(functions.map((fn) => fn.entry))].sort();
  const external = [...new Set(functions.flatMap((fn) => fn.nodeModules))].sort();
  const hash = createHash('sha256').update(JSON.stringify({ version, BUNDLING, entries, external }));
  for (const dir of SOURCE_DIRS) {
    for (const file of [...files(join(root, dir))].sort())
      hash.update(relative(root, file)).update(readFileSync(file));
  }
  for (const entry of entries) hash.update(readFileSync(join(root, entry)));
  hash.update(readFileSync(join(root, 'package-lock.json')));
  const key = hash.digest('hex').slice(0, 16);
  const cache = join(root, 'node_modules', '.cache', 'manager-local');
  const outdir = join(cache, `bundles-${key}`);
  const outputs = new Map(entries.map((entry) => [entry, join(outdir, entry.replace(/\.ts$/, '.mjs'))]));
  if ([...outputs.values()].every((file) => existsSync(file))) return outputs;

  // Builds of older trees are of no use any more (one of the last day may still be running).
  if (existsSync(cache)) {
    for (const name of readdirSync(cache)) {
      const path = join(cache, name);
      if (name.startsWith('bundles-') && Date.now() - statSync(path).mtimeMs > 86_400_000) {
        rmSync(path, { recursive: true, force: true });
      }
    }
  }
  await build({
    absWorkingDir: root,
    entryPoints: entries.map((entry) => ({ in: entry, out: entry.replace(/\.ts$/, '') })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: [...BUNDLING.mainFields],
    external,
    banner: { js: BUNDLING.banner },
    loader: { ...BUNDLING.loader },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outputs;
}
