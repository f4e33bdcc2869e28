import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages } from '../../infra/config/stages.ts';
import { ensureLogin } from '../../infra/local/identity.ts';
import { runtimeEnvironment, startLocalStack } from '../../infra/local/stack.ts';
import { synthesizeTemplate } from '../../infra/local/synthesize.ts';
import {
  describeTemplate,
  type LocalFunction,
  type SynthesizedTemplate,
} from '../../infra/local/template.ts';
import { callApi } from '../fixtures/client.ts';
import { download, pdfText } from '../fixtures/pdf.ts';
import { ADDRESS } from '../fixtures/routes.ts';

/**
 * The deployed artifact, as AWS runs it (issue 9): the stack synthesized with real bundling,
 * each function's asset copied nowhere near a node_modules, loaded by Node 24 with nothing but
 * the environment its template gives it and what the Lambda runtime sets. A module that needs a
 * variable or a package the function does not have fails here, named.
 */
let outdir: string;
let synthesized: SynthesizedTemplate;
const NAMES = { userPoolId: 'eu-central-2_local', userPoolClientId: 'client' };
const CREDENTIALS = { accessKeyId: 'ASIAARTIFACT', secretAccessKey: 'secret', sessionToken: 'token' };

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'manager-artifacts-'));
  synthesized = synthesizeTemplate('dev', { outdir });
}, 300_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Starts Node in the asset's directory with the function's environment and loads its handler. */
function load(fn: LocalFunction, environment: Record<string, string>): Promise<string | undefined> {
  const script = `const m = await import('./index.mjs'); if (typeof m[${JSON.stringify(fn.handler)}] !== 'function') throw new Error('no handler ${fn.handler}');`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fn.asset,
      env: environment,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) =>
      resolve(
        code === 0
          ? undefined
          : `${fn.logicalId}: ${stderr.split('\n').find((l) => /^\w*Error\b.*: /.test(l)) ?? stderr}`,
      ),
    );
  });
}

/** Loads every function's asset, four at a time; the failures, each naming its function. */
async function loadAll(functions: LocalFunction[]): Promise<string[]> {
  const failures: string[] = [];
  const queue = [...functions];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let fn = queue.shift(); fn; fn = queue.shift()) {
        const failure = await load(fn, runtimeEnvironment(fn, CREDENTIALS, 'http://127.0.0.1:9', 'ERROR'));
        if (failure) failures.push(failure);
      }
    }),
  );
  return failures.sort();
}

describe('the deployed artifacts', () => {
  it('runs on Node 24, the Lambda runtime', () => {
    expect(process.version).toMatch(/^v24\./);
  });

  it('every function’s bundle loads alone with only the environment its template gives it', async () => {
    const functions = [...describeTemplate(synthesized, NAMES).functions.values()];

    expect(functions).toHaveLength(68);
    expect(functions.every((fn) => fn.asset)).toBe(true);
    expect(await loadAll(functions)).toEqual([]);
  }, 120_000);

  it('no bundle imports a Node built-in as an ES module (its facade would cost every cold start)', () => {
    const functions = [...describeTemplate(synthesized, NAMES).functions.values()];
    // esbuild writes an external import as `from"…"` or `import"…"`; the banner's node:module aside.
    const esImports = functions.flatMap((fn) =>
      [
        ...readFileSync(join(fn.asset ?? '', 'index.mjs'), 'utf8').matchAll(
          /(?:from|import)\s*["']([^"']+)["']/g,
        ),
      ]
        .map((match) => match[1] ?? '')
        .filter((path) => isBuiltin(path) && path !== 'node:module')
        .map((path) => `${fn.logicalId}: ${path}`),
    );

    expect(functions.length).toBeGreaterThan(0);
    expect(esImports).toEqual([]);
  });

  it('the read routes bundle no schema library: zod stays in the functions that check a body', () => {
    const functions = [...describeTemplate(synthesized, NAMES).functions.values()];
    // Every zod schema is built by a constructor named after its kind ("$ZodObject", "$ZodString"…).
    const zodIn = (name: string) => {
      const fn = functions.find((f) => f.logicalId.startsWith(`${name}Function`));
      return /"\$Zod[A-Z]\w*"/.test(readFileSync(join(fn?.asset ?? '', 'index.mjs'), 'utf8'));
    };

    // Decision 94: codecs, path ids and the English messages load no schema on the way.
    expect(['GetOrganization', 'GetProduct', 'GetInvoice'].filter(zodIn)).toEqual([]);
    expect(zodIn('PlaceOrder')).toBe(true);
  });

  it('names the function whose variable a stage withholds (test-only setting), and only it', async () => {
    const withheld = { ...stages.dev, testOnly: { withhold: { GetMe: ['TABLE_NAME'], PlanRun: ['STAGE'] } } };
    const bundled = describeTemplate(synthesized, NAMES).functions;
    // The code is the same: the bundled synthesis's assets, with the withheld stage's environment.
    const functions = [...describeTemplate(synthesizeTemplate(withheld), NAMES).functions.values()].map(
      (fn) => ({
        ...fn,
        asset: bundled.get(fn.logicalId)?.asset ?? '',
      }),
    );

    const failures = await loadAll(
      functions.filter((fn) =>
        /^(GetMe|ListMyOrganizations|RenewalRemindersStepsPlanRun)/.test(fn.logicalId),
      ),
    );

    expect(failures).toEqual([
      expect.stringMatching(/^GetMeFunction\w+: .*Environment variable TABLE_NAME is not set/),
    ]);
  }, 120_000);

  it('renders a pro-forma PDF, with its QR-bill, from the bundled PDF function', async () => {
    const stack = await startLocalStack({ synthesized, code: 'bundled', logLevel: 'ERROR' });
    try {
      const login = await ensureLogin(
        { endpoint: stack.endpoints.cognito, userPoolId: stack.userPoolId, clientId: stack.userPoolClientId },
        `artifact-${randomUUID()}@example.com`,
        'Test-Passw0rd!',
      );
      const placed = await callApi(stack.apiUrl, 'POST', '/v1/orders', {
        token: login.idToken,
        headers: { 'idempotency-key': randomUUID() },
        json: {
          newAccount: { holder: { kind: 'person', firstName: 'Ada', lastName: 'Lovelace' } },
          items: [{ type: 'domain', name: 'artifact.ch', periodMonths: 12 }],
          paymentMethod: 'qr-bill',
          billingAddress: ADDRESS,
        },
      });
      const { organizationId, invoice } = placed.body as {
        organizationId: string;
        invoice: { invoiceId: string };
      };

      const created = await callApi(stack.apiUrl, 'POST', `/v1/organizations/${organizationId}/pro-formas`, {
        token: login.idToken,
        json: { invoiceIds: [invoice.invoiceId], paymentMethod: 'qr-bill' },
      });

      expect(created.status).toBe(201);
      const text = pdfText(await download((created.body as { url: string }).url));
      expect(text).toContain('Pro-forma invoice');
      expect(text).toContain('Payment part');
      const proForma = stack.lambdas.reports.find((r) => r.functionName.startsWith('CreateProForma'));
      expect(proForma?.initMs).toBeGreaterThan(0);
    } finally {
      await stack.stop();
    }
  }, 120_000);
});
