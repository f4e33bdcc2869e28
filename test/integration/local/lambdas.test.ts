import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../../infra/local/lambdas.ts';
import { LOCAL_STAND_INS } from '../../../infra/local/stack.ts';
import { startFixture } from '../../fixtures/workflow/local.ts';

/**
 * The local Lambda runtime (issue 9): each function in execution environments of its own, with
 * only its own environment, its timeout, Lambda's payload limits and its REPORT line.
 */
let fixture: Awaited<ReturnType<typeof startFixture>>;
beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => fixture.stop());

const RUNTIME_VARIABLES = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  '_HANDLER',
  'LAMBDA_TASK_ROOT',
  'LANG',
  'PATH',
];

describe('a local function', () => {
  it('sees only the variables its template gives it and those the Lambda runtime sets', async () => {
    const a = fixture.idOf('EnvironmentA');
    const template = fixture.described.functions.get(a)?.environment ?? {};

    const seen = (await fixture.lambdas.invoke(a, {})) as Record<string, string>;
    const other = (await fixture.lambdas.invoke(fixture.idOf('EnvironmentB'), {})) as Record<string, string>;

    expect(seen.ONLY_IN_A).toBe('EnvironmentA');
    expect(seen.ONLY_IN_B).toBeUndefined();
    expect(other.ONLY_IN_A).toBeUndefined();
    expect(Object.keys(seen).sort()).toEqual(
      [...new Set([...Object.keys(template), ...RUNTIME_VARIABLES, ...LOCAL_STAND_INS])].sort(),
    );
    expect(seen.AWS_LAMBDA_FUNCTION_NAME).toBe(a);
  });

  it('reports its cold start on the first invocation of an environment, and not on the next', async () => {
    const id = fixture.idOf('EnvironmentB');
    await fixture.lambdas.invoke(id, {});
    await fixture.lambdas.invoke(id, {});

    const reports = fixture.lambdas.reports.filter((r) => r.functionName === id);
    expect(reports[0]?.initMs).toBeGreaterThan(0);
    expect(reports.slice(1).every((r) => r.initMs === undefined)).toBe(true);
    expect(reports.every((r) => r.outcome === 'success' && r.memorySize === 1024)).toBe(true);
  });

  it('is cut off at its timeout ("Task timed out"), and the next invocation starts a new environment', async () => {
    const id = fixture.idOf('Sleepy');
    await fixture.lambdas.invoke(id, { ms: 1 });

    await expect(fixture.lambdas.invoke(id, { ms: 1500 })).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    await fixture.lambdas.invoke(id, { ms: 1 });

    const [first, timedOut, after] = fixture.lambdas.reports.filter((r) => r.functionName === id);
    expect(first?.initMs).toBeGreaterThan(0);
    expect(timedOut?.outcome).toBe('Sandbox.Timedout');
    expect(after?.initMs).toBeGreaterThan(0);
  });

  it('refuses a response over 6 MB and an event over 6 MB, as Lambda does', async () => {
    const id = fixture.idOf('Large');

    await expect(fixture.lambdas.invoke(id, { bytes: 7 * 1024 * 1024 })).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
    });
    await expect(
      fixture.lambdas.invoke(id, { bytes: 1, pad: 'x'.repeat(MAX_PAYLOAD_BYTES) }),
    ).rejects.toMatchObject({
      name: 'RequestTooLargeException',
    });
    await expect(fixture.lambdas.invoke(id, { bytes: 5 * 1024 * 1024 })).resolves.toBeDefined();
  });
});
