import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { requiredEnv } from './config.ts';

/** The user pool that owns the logins (R1), for the admin actions of R2; only its users import it. */
export const USER_POOL_ID = requiredEnv('USER_POOL_ID');
export const cognito = /* @__PURE__ */ new CognitoIdentityProviderClient({});
