import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

/**
 * npm run test:model -- --runs 5000 [--seed <n>] [--lanes <n>]: the model-based test of an
 * account's billing life (test/integration/model) with more sequences than `npm test` runs,
 * from a new seed each time unless one is given (a failure names the seed that replays it).
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    lanes: { type: 'string', default: '4' },
  },
});
const result = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--project', 'integration', 'test/integration/model'],
  {
    stdio: 'inherit',
    env: { ...process.env, MODEL_RUNS: values.runs, MODEL_SEED: values.seed, MODEL_LANES: values.lanes },
  },
);
process.exit(result.status ?? 1);
