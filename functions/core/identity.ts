import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { requiredEnv } from './config.ts';

/** The user pool that owns the logins (R1), for the admin actions of R2; only its users import it. */
export const USER_POOL_ID = requiredEnv('USER_POOL_ID');
let client: CognitoIdentityProviderClient | undefined;
/**
 * The Cognito client, built on first use: `POST /v1/orders` and the profile routes import it
 * for a fallback most calls never take (the caller's address is in the token or stored), and
 * building it at load was about 10 ms of their cold start (issue 16, decision 91).
 */
export const cognito = () => {
  client ??= new CognitoIdentityProviderClient({});
  return client;
};
