import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLING, NODE_BUILTINS, PROJECT_ROOT } from '../../../infra/constructs/manager-function.ts';

/**
 * Every function reaches Node's built-ins through the modules BUNDLING.alias names (decision 91):
 * each must be the built-in itself, export for export.
 */
const require = createRequire(import.meta.url);
const shimOf = (name: string) => join(PROJECT_ROOT, BUNDLING.alias[`node:${name}`] ?? '');

describe('the modules that stand for Node built-ins in the bundles', () => {
  it.each(NODE_BUILTINS)('node:%s gives every export of the built-in, the same values', (name) => {
    const builtin = process.getBuiltinModule(`node:${name}`) as Record<string, unknown>;
    const shim = require(shimOf(name)) as Record<string, unknown>;

    expect(BUNDLING.alias[name]).toBe(BUNDLING.alias[`node:${name}`]);
    expect(Object.keys(shim).sort()).toEqual(Object.keys(builtin).sort());
    for (const key of Object.keys(builtin)) expect(shim[key], key).toBe(builtin[key]);
  });

  it('loads node:stream/web only when one of its exports is first read', () => {
    // A fresh process: this one has loaded web streams long ago.
    const script = [
      `const web = require(${JSON.stringify(shimOf('stream/web'))});`,
      "const loaded = () => process.moduleLoadList.some((m) => m.includes('internal/webstreams/readablestream'));",
      'const before = loaded();',
      "const same = web.ReadableStream === require('node:stream/web').ReadableStream;",
      'console.log(JSON.stringify({ before, after: loaded(), same }));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });

    expect(JSON.parse(out)).toEqual({ before: false, after: true, same: true });
  });
});
