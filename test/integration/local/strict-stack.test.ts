import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages } from '../../../infra/config/stages.ts';
import { ensureLogin, type Login } from '../../../infra/local/identity.ts';
import { type LocalStack, startLocalStack } from '../../../infra/local/stack.ts';
import { callApi } from '../../fixtures/client.ts';

/**
 * A function that lacks a grant fails locally as it would in AWS (issue 9). Two more stacks are
 * started at once on the same preferred ports — both come up — one of them synthesized from a
 * stage whose test-only setting withholds two grants.
 */
const PORTS = { api: 3171, aws: 3172, dynamodb: 3173, mailbox: 3174, cognito: 3175, control: 3176 };
let plain: LocalStack;
let withheld: LocalStack;

beforeAll(async () => {
  const stage = {
    ...stages.dev,
    testOnly: { withhold: { SwitchOrganization: ['dynamodb:UpdateItem'], SetLogo: ['s3:ListBucket'] } },
  };
  [plain, withheld] = await Promise.all([
    startLocalStack({ logLevel: 'SILENT', ports: PORTS }),
    startLocalStack({ logLevel: 'SILENT', ports: PORTS, stage }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), withheld?.stop()]);
});

const login = (stack: LocalStack): Promise<Login> =>
  ensureLogin(
    { endpoint: stack.endpoints.cognito, userPoolId: stack.userPoolId, clientId: stack.userPoolClientId },
    `strict-${randomUUID()}@example.com`,
    'Test-Passw0rd!',
  );
const createOrganization = (stack: LocalStack, token: string) =>
  callApi(stack.apiUrl, 'POST', '/v1/organizations', {
    token,
    json: { holder: { kind: 'company', businessName: 'S' } },
  });

describe('a stack whose functions lack a grant', () => {
  it('starts beside another on the same preferred ports: each gets ports of its own', () => {
    const portsOf = (s: LocalStack) => [s.apiUrl, s.controlUrl, s.mailboxUrl, ...Object.values(s.endpoints)];

    expect(new Set([...portsOf(plain), ...portsOf(withheld)]).size).toBe(12);
  });

  it('refuses the call no policy allows with AccessDenied, naming the action and the resource', async () => {
    const switchTo = async (stack: LocalStack) => {
      const token = (await login(stack)).idToken;
      const { organizationId } = (await createOrganization(stack, token)).body as { organizationId: string };
      return callApi(stack.apiUrl, 'PUT', '/v1/me/current-organization', { token, json: { organizationId } });
    };

    expect((await switchTo(withheld)).status).toBe(500);
    expect(withheld.gateway.denials.map((d) => d.denied)).toContainEqual(
      expect.stringMatching(
        /^User: arn:aws:sts::000000000000:assumed-role\/SwitchOrganizationRole\w+\/SwitchOrganizationFunction\w+ is not authorized to perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:eu-central-2:000000000000:table\/manager-local-\w+ because no identity-based policy allows the dynamodb:UpdateItem action$/,
      ),
    );
    expect((await switchTo(plain)).status).toBe(200);
  });

  it('without s3:ListBucket a missing upload is S3’s 403, which SetLogo can only answer with 500', async () => {
    const accept = async (stack: LocalStack) => {
      const token = (await login(stack)).idToken;
      const { organizationId } = (await createOrganization(stack, token)).body as { organizationId: string };
      return callApi(stack.apiUrl, 'PUT', `/v1/organizations/${organizationId}/logo`, {
        token,
        json: { uploadId: '01JD0000000000000000000001' },
      });
    };

    expect((await accept(plain)).status).toBe(404);
    expect((await accept(withheld)).status).toBe(500);
  });
});
