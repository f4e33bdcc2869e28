import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_REGION } from './account.ts';
import { type ManagedProcess, PortTaken, spawnManaged, startOnFreePort } from './process.ts';

export interface LocalIdentity extends ManagedProcess {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  /** The issuer in the tokens, and where its JWKS is published. */
  issuer: string;
  jwksUrl: string;
}

interface PoolFile {
  userPoolId: string;
  clientId: string;
  /** The settings the pool was made with: a pool made with others is replaced. */
  settings?: string;
}

/**
 * The user pool's settings that change what a user can do to their own identity, as the stack's
 * pool has them (infra/constructs/identity.ts; test/infra checks they agree): e-mail verified
 * on sign-up, and a changed e-mail in force only once verified (keepOriginal).
 */
export const LOCAL_POOL_SETTINGS = {
  AutoVerifiedAttributes: ['email'],
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
} as const;
const SETTINGS = JSON.stringify(LOCAL_POOL_SETTINGS);

/**
 * cognito-local: the Cognito API (sign-up, sign-in, password reset) issuing real RS256 JWTs.
 * It keeps its state under `dataDir/.cognito`; the pool and client ids are kept beside it so a
 * restarted `npm start` signs users in against the same pool.
 */
export async function startIdentity(
  preferredPort: number | undefined,
  dataDir: string,
): Promise<LocalIdentity> {
  mkdirSync(join(dataDir, '.cognito'), { recursive: true });
  const require = createRequire(import.meta.url);
  const bin = require.resolve('cognito-local/lib/bin/start.js');
  // It says it runs only once it is listening: the port is its own when that line comes.
  const { processHandle, endpoint } = await startOnFreePort('cognito-local', preferredPort, async (port) => {
    const endpoint = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dataDir, '.cognito', 'config.json'),
      JSON.stringify({ TokenConfig: { IssuerDomain: endpoint } }, null, 2),
    );
    const processHandle = spawnManaged('cognito-local', process.execPath, [bin], {
      cwd: dataDir,
      env: { PORT: String(port), HOST: '127.0.0.1' },
    });
    try {
      await processHandle.printed(/Cognito Local running on/);
    } catch (error) {
      await processHandle.stop();
      if (/EADDRINUSE/.test(processHandle.output())) throw new PortTaken(String(port));
      throw error;
    }
    return { processHandle, endpoint };
  });

  const poolFile = join(dataDir, 'pool.json');
  let pool: PoolFile;
  const kept = existsSync(poolFile) ? (JSON.parse(readFileSync(poolFile, 'utf8')) as PoolFile) : undefined;
  if (kept && kept.settings === SETTINGS) {
    pool = kept;
  } else {
    const client = cognitoClient(endpoint);
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: 'manager-local',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: [...LOCAL_POOL_SETTINGS.AutoVerifiedAttributes],
        UserAttributeUpdateSettings: {
          AttributesRequireVerificationBeforeUpdate: [
            ...LOCAL_POOL_SETTINGS.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate,
          ],
        },
      }),
    );
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool?.Id,
        ClientName: 'console',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    pool = {
      userPoolId: String(UserPool?.Id),
      clientId: String(UserPoolClient?.ClientId),
      settings: SETTINGS,
    };
    writeFileSync(poolFile, JSON.stringify(pool, null, 2));
  }
  // The stack's user pool groups (infra/constructs/identity.ts), also in a pool kept from before.
  await cognitoClient(endpoint)
    .send(new CreateGroupCommand({ UserPoolId: pool.userPoolId, GroupName: 'staff' }))
    .catch((error: Error) => {
      if (error.name !== 'GroupExistsException') throw error;
    });
  const issuer = `${endpoint}/${pool.userPoolId}`;
  return {
    ...processHandle,
    endpoint,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
  };
}

/** A client of the local Cognito itself, as the tooling that sets the pool up (not a function) uses it. */
export function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export interface Login {
  userId: string;
  email: string;
  idToken: string;
  accessToken: string;
}

/**
 * Creates (or reuses) a confirmed login and signs it in. Used for the demo user of
 * `npm start` and by tests; a real user signs up through the Cognito API instead.
 */
export async function ensureLogin(
  identity: Pick<LocalIdentity, 'endpoint' | 'userPoolId' | 'clientId'>,
  email: string,
  password: string,
  attributes: Record<string, string> = {},
  groups: string[] = [],
): Promise<Login> {
  const client = cognitoClient(identity.endpoint);
  try {
    const existing = await client
      .send(new AdminGetUserCommand({ UserPoolId: identity.userPoolId, Username: email }))
      .catch(() => undefined);
    if (!existing) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: identity.userPoolId,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          ],
        }),
      );
      await client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: identity.userPoolId,
          Username: email,
          Password: password,
          Permanent: true,
        }),
      );
      for (const GroupName of groups) {
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: identity.userPoolId, Username: email, GroupName }),
        );
      }
    }
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({
        ClientId: identity.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const idToken = String(AuthenticationResult?.IdToken);
    const payload = JSON.parse(Buffer.from(String(idToken.split('.')[1]), 'base64url').toString()) as {
      sub: string;
    };
    return { userId: payload.sub, email, idToken, accessToken: String(AuthenticationResult?.AccessToken) };
  } finally {
    client.destroy();
  }
}
