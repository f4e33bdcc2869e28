import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { PROJECT_ROOT } from './constructs/manager-function.ts';
import { loadContracts, openApiDocument, serialize } from './openapi.ts';

/** `npm run openapi`: writes docs/openapi.json from the routes' schemas. */

// Font files are imported as bytes (esbuild's binary loader in the bundles, a Vite plugin in the
// tests); here, a module that exports the file's bytes.
registerHooks({
  load(url, context, nextLoad) {
    if (!url.endsWith('.woff')) return nextLoad(url, context);
    return {
      format: 'module',
      shortCircuit: true,
      source: `import { readFileSync } from 'node:fs'; export default new Uint8Array(readFileSync(new URL(${JSON.stringify(url)})));`,
    };
  },
});
const document = openApiDocument(await loadContracts());
writeFileSync(join(PROJECT_ROOT, 'docs', 'openapi.json'), serialize(document));
process.stdout.write(`docs/openapi.json: ${Object.keys(document.paths).length} paths\n`);
process.exit(0);
