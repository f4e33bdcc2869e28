import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
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
/**
 * Files outside those folders that a function imports: the contract GET /v1/openapi.json
 * serves, and the modules that stand for Node's built-ins (BUNDLING.alias).
 */
const OTHER_INPUTS = [
  'docs/openapi.json',
  ...new Set(Object.values(BUNDLING.alias).map((shim) => relative('.', shim))),
];

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
  // An entry outside those folders (a test fixture's function) brings its own folder along.
  const dirs = [
    ...new Set([
      ...SOURCE_DIRS,
      ...entries.filter((e) => !SOURCE_DIRS.some((dir) => e.startsWith(`${dir}/`))).map((e) => dirname(e)),
    ]),
  ];
  for (const dir of dirs) {
    for (const file of [...files(join(root, dir))].sort())
      hash.update(relative(root, file)).update(readFileSync(file));
  }
  for (const file of OTHER_INPUTS) hash.update(file).update(readFileSync(join(root, file)));
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
  const { metafile } = await build({
    metafile: true,
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
    alias: { ...BUNDLING.alias },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // A bundle built from a file the hash does not cover would be served stale once that file
  // changes: name every such input here, or the build stops.
  const uncovered = Object.keys(metafile.inputs).filter(
    (input) =>
      // A dependency, also where node_modules is a link elsewhere (a mutation sandbox, a worktree).
      !input.split('/').includes('node_modules') &&
      !dirs.some((dir) => input.startsWith(`${dir}/`)) &&
      !OTHER_INPUTS.includes(input),
  );
  if (uncovered.length) {
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(`Functions import ${uncovered.join(', ')}: add to OTHER_INPUTS in infra/local/bundle.ts`);
  }
  // A built-in imported as an ES module costs every cold start its facade (NODE_BUILTINS).
  const imported = new Set(
    Object.values(metafile.outputs).flatMap((output) =>
      output.imports
        .filter(
          (i) => i.external && i.kind !== 'require-call' && isBuiltin(i.path) && i.path !== 'node:module',
        )
        .map((i) => i.path),
    ),
  );
  if (imported.size) {
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(
      `Functions import ${[...imported].join(', ')} as ES modules: give each a stand-in in infra/constructs/node-builtins/ (NODE_BUILTINS)`,
    );
  }
  return outputs;
}
