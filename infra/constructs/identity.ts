import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import type { Mailer } from './mailer.ts';

export interface IdentityProps {
  stage: StageConfig;
  /** The SES identity the pool sends through: the pool is created after it. */
  mailer: Mailer;
}

/**
 * Logins (R1): an e-mail identifier and a password, owned by a Cognito user pool. The API
 * only ever sees the pool's signed JWTs; the token subject is the user id.
 */
export class Identity extends Construct {
  public readonly userPool: UserPool;
  public readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { stage } = props;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed e-mail takes effect only once its owner verified it (issue 13): until then the
      // user keeps the verified address, so nobody can claim another person's address.
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        givenName: { required: false, mutable: true },
        familyName: { required: false, mutable: true },
        locale: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // R2: password resets go to the recovery address, which is the verified e-mail.
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      // The pool's own e-mails (sign-up codes, verification) go out through the stage's SES
      // domain once it is verified: Cognito's built-in sender allows about 50 a day, which
      // would stall sign-ups, and Cognito refuses an SES sender that is not verified yet.
      email: stage.mailDomainVerified
        ? UserPoolEmail.withSES({
            fromEmail: stage.mailFrom,
            fromName: 'Manager',
            sesVerifiedDomain: stage.mailDomain,
            sesRegion: stage.env?.region ?? 'eu-central-2',
          })
        : UserPoolEmail.withCognito(),
      deletionProtection: stage.protectData,
      removalPolicy: stage.removalPolicy,
    });
    if (stage.mailDomainVerified) this.userPool.node.addDependency(props.mailer.identity);
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG2',
      reason: 'MFA is optional: customers opt in with TOTP; forcing it on every login is a product decision.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus feature plan, billed per monthly active user; it is a ' +
        'business decision per stage, recorded in docs/decisions.md.',
    });
    // Support and accounting people: staff routes (credits, promo codes, bank payments) need it.
    new CfnUserPoolGroup(this, 'StaffGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: 'staff',
      description: 'Provider staff: support and accounting',
    });
    // What the console may read and change of a user: e-mail changes go through verification
    // (keepOriginal above); `email_verified` and the rest stay out of the client's reach.
    const profile = { email: true, givenName: true, familyName: true, locale: true };
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      // Hosted sign-in: code grant only (no implicit flow), the scopes the console needs, and
      // the stage's own callback addresses (never CDK's example.com default).
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: stage.console.callbackUrls,
        logoutUrls: stage.console.logoutUrls,
      },
      readAttributes: new ClientAttributes().withStandardAttributes({ ...profile, emailVerified: true }),
      writeAttributes: new ClientAttributes().withStandardAttributes(profile),
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
  }
}
