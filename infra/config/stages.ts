import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

/** Everything that differs between stages; stacks read nothing else (STYLE rule 6). */
export interface StageConfig {
  name: StageName;
  /** Account and region come from the CLI environment unless pinned here. */
  env?: { account?: string; region?: string };
  /** Protect data: RETAIN, deletion protection and PITR where it matters. */
  protectData: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** The verified SES identity e-mails are sent from, and the From address. */
  mailDomain: string;
  mailFrom: string;
  /**
   * The SES identity of `mailDomain` is verified (its DNS records published): only then may the
   * user pool send through it — Cognito refuses a user pool whose SES sender is not verified, so
   * a stage's first deploy, which creates the identity, runs with false (docs/operations.md).
   */
  mailDomainVerified: boolean;
  /** Origin of the console that calls the API (CORS). */
  consoleOrigin: string;
  /** Where the hosted sign-in may send users back to (OAuth code grant), and after sign-out. */
  console: { callbackUrls: string[]; logoutUrls: string[] };
  /**
   * Abuse limits of the public routes that send e-mail (issue 13): API Gateway's per-route
   * throttle, and how many password resets one client address may ask for per minute.
   */
  publicMail: { rateLimit: number; burstLimit: number; resetsPerClientPerMinute: number };
  /** How long a presigned S3 URL stays valid (R22: minutes). */
  presignedUrlTtl: Duration;
  /** Days after which generated pro-forma PDFs are removed from the documents bucket. */
  proFormaRetentionDays: number;
  /** Local time of day (hour, minute) of the daily renewal-reminder run (R26). */
  reminderTime: { hour: number; minute: number };
  reminderTimezone: string;
  /**
   * Operations (issue 15): who gets the ops topic's notices, and when each alarm goes off
   * (docs/operations.md). Rates are fractions for SES (0.05 = 5 %), percent for the API.
   */
  ops: {
    emails: string[];
    alarms: {
      api5xxPercent: number;
      apiP99Ms: number;
      /** Function errors per 5 minutes, all functions of the stage's account. */
      lambdaErrors: number;
      sesBounceRate: number;
      sesComplaintRate: number;
    };
  };
  /**
   * Tests only, never in a real stage: what to leave out of a function's role and environment,
   * by the function's construct id — an IAM action (`s3:ListBucket`) or an environment variable
   * (`TABLE_NAME`). It proves that the local stack refuses a call no grant allows and that the
   * bundle test names a function whose variable is missing.
   */
  testOnly?: { withhold: Record<string, string[]> };
}

const consoleUrls = (origin: string) => ({
  callbackUrls: [`${origin}/auth/callback`],
  logoutUrls: [`${origin}/signed-out`],
});

const common = {
  // Zurich: the provider is Swiss, and data stays in Switzerland. The account is the CLI's
  // (the pipeline's OIDC role) unless a stage pins it.
  env: { region: 'eu-central-2' },
  logLevel: 'INFO',
  presignedUrlTtl: Duration.minutes(5),
  proFormaRetentionDays: 30,
  reminderTime: { hour: 6, minute: 0 },
  reminderTimezone: 'Europe/Zurich',
} as const;

/** SES reviews an account from 5 % bounces and 0.1 % complaints: the alarms go off before. */
const alarms = {
  api5xxPercent: 1,
  apiP99Ms: 3000,
  lambdaErrors: 5,
  sesBounceRate: 0.03,
  sesComplaintRate: 0.0008,
};

export const stages: Record<StageName, StageConfig> = {
  dev: {
    ...common,
    name: 'dev',
    protectData: false,
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    mailDomain: 'dev.manager.example.com',
    // Dev signs up a handful of testers: Cognito's own sender (about 50 a day) is enough.
    mailDomainVerified: false,
    mailFrom: 'no-reply@dev.manager.example.com',
    consoleOrigin: 'http://localhost:5173',
    console: consoleUrls('http://localhost:5173'),
    // Tests and the bench run from one address: the per-client limit is wide here.
    publicMail: { rateLimit: 50, burstLimit: 100, resetsPerClientPerMinute: 600 },
    ops: { emails: [], alarms: { ...alarms, lambdaErrors: 50 } },
  },
  staging: {
    ...common,
    name: 'staging',
    protectData: false,
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.ONE_MONTH,
    mailDomain: 'staging.manager.example.com',
    mailDomainVerified: true,
    mailFrom: 'no-reply@staging.manager.example.com',
    consoleOrigin: 'https://staging.manager.example.com',
    console: consoleUrls('https://staging.manager.example.com'),
    publicMail: { rateLimit: 5, burstLimit: 10, resetsPerClientPerMinute: 5 },
    ops: { emails: ['ops-staging@manager.example.com'], alarms },
  },
  prod: {
    ...common,
    name: 'prod',
    protectData: true,
    removalPolicy: RemovalPolicy.RETAIN,
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: 'WARN',
    mailDomain: 'manager.example.com',
    mailDomainVerified: true,
    mailFrom: 'no-reply@manager.example.com',
    consoleOrigin: 'https://manager.example.com',
    console: consoleUrls('https://manager.example.com'),
    publicMail: { rateLimit: 20, burstLimit: 40, resetsPerClientPerMinute: 5 },
    ops: { emails: ['ops@manager.example.com'], alarms: { ...alarms, apiP99Ms: 2000 } },
  },
};

export function stageConfig(name: unknown): StageConfig {
  if (typeof name !== 'string' || !(STAGES as readonly string[]).includes(name)) {
    throw new Error(`Unknown stage '${String(name)}': use -c stage=${STAGES.join('|')}`);
  }
  return stages[name as StageName];
}
