import * as fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { api, newLogin, newStaff } from '../helpers.ts';
import { commands, type Lane, setup } from './billing-model.ts';

/**
 * The model-based test of an account's billing life (issue 12, billing-model.ts). `npm test`
 * runs MODEL_RUNS sequences (default 200) from a fixed seed, in MODEL_LANES lanes that run at
 * the same time (each with its own logins and seed); `npm run test:model -- --runs 5000` runs
 * more. A failure prints its shrunk sequence of commands and the seed to replay it.
 */
const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const LANES = Number(process.env.MODEL_LANES ?? 4);
const SEED = Number(process.env.MODEL_SEED ?? 20_261_126);

async function newLane(n: number): Promise<Lane> {
  const staff = await newStaff();
  const promo = `MODEL-${SEED}-${n}-${Date.now().toString(36)}`.toUpperCase().slice(0, 32);
  const created = await api('POST', '/v1/staff/promo-codes', {
    token: staff.idToken,
    json: {
      code: promo,
      percentOff: 1000,
      validFrom: '2020-01-01T00:00:00Z',
      validUntil: '2099-01-01T00:00:00Z',
      productTypes: ['domain', 'web-hosting', 'mail-service', 'backup'],
      maxRedemptions: 1_000_000,
      maxPerAccount: 1000,
    },
  });
  if (created.status !== 201) throw new Error(`promo code: ${JSON.stringify(created.body)}`);
  return {
    owner: await newLogin('owner'),
    buyer: await newLogin('buyer'),
    outsider: await newLogin('outsider'),
    staff,
    promo,
  };
}

describe.concurrent('an account’s billing life, as random sequences of what happens to it', () => {
  const lanes: Lane[] = [];
  beforeAll(async () => {
    for (let n = 0; n < LANES; n++) lanes.push(await newLane(n));
  }, 60_000);

  for (let n = 0; n < LANES; n++) {
    const runs = Math.floor(RUNS / LANES) + (n < RUNS % LANES ? 1 : 0);
    it(`lane ${n + 1} of ${LANES}: ${runs} sequences, seed ${SEED + n}`, {
      timeout: runs * 60_000,
    }, async () => {
      const lane = lanes[n] as Lane;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(commands, async (steps) => {
          run++;
          await fc.asyncModelRun(() => setup(lane, run), steps);
        }),
        { numRuns: runs, seed: SEED + n, endOnFailure: false, verbose: 1 },
      );
    });
  }
});
