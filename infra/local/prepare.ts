import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { bundleFunctions } from './bundle.ts';
import { cachedTemplate, describeTemplate } from './template.ts';

/**
 * `npm ci` / `npm install` run this (the `prepare` script): the local stack's two caches — the
 * synthesized template and the local build of the functions — are made at install time, so the
 * first `npm start` on a fresh clone starts as fast as the next ones. Both are named after the
 * hash of their inputs: a later change of the code is rebuilt on the next start.
 */
const started = Date.now();
const synthesized = await cachedTemplate('dev');
const { functions } = describeTemplate(synthesized, { userPoolId: '-', userPoolClientId: '-' });
await bundleFunctions(PROJECT_ROOT, functions.values());
process.stdout.write(
  `Local stack prepared: template and ${functions.size} functions built (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
);
