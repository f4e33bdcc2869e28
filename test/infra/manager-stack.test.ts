import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { describe, expect, it } from 'vitest';
import { BUSINESS_EVENTS } from '../../functions/core/metrics.ts';
import { FEATURE_FLAGS } from '../../infra/config/feature-flags.ts';
import { STAGES, stageConfig } from '../../infra/config/stages.ts';
import { ManagerFunction, METRICS_NAMESPACE, PROJECT_ROOT } from '../../infra/constructs/manager-function.ts';
import { LOCAL_POOL_SETTINGS } from '../../infra/local/identity.ts';
import { type CfnTemplate, describeTemplate, mergeTemplates } from '../../infra/local/template.ts';
import { createManagerApp } from '../../infra/manager-app.ts';
import { createManagerStacks, type ManagerStacks } from '../../infra/stacks/manager-stacks.ts';
import { ROUTE_STACKS, ROUTES, routeStackOf } from '../../infra/stacks/routes.ts';

/** Bundling is skipped: these tests look at the infrastructure, not at the bundles. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

const synthesized = new Map<string, { stacks: ManagerStacks; templates: CfnTemplate[]; merged: Template }>();
function synthesizedOf(stage: string) {
  let entry = synthesized.get(stage);
  if (!entry) {
    const stacks = createManagerStacks(
      new App({ context: { ...FEATURE_FLAGS, ...NO_BUNDLING } }),
      stageConfig(stage),
    );
    const templates = stacks.all.map((stack) => Template.fromStack(stack).toJSON() as CfnTemplate);
    const named = stacks.all.map((stack, i) => ({
      stackName: stack.stackName,
      template: templates[i] as CfnTemplate,
      dependsOn: stack.dependencies.map((d) => d.stackName),
    }));
    entry = { stacks, templates, merged: Template.fromJSON(mergeTemplates(named)) };
    synthesized.set(stage, entry);
  }
  return entry;
}
/** The stage's stacks as one template, references across stacks resolved (as the local stack runs them). */
const templateOf = (stage: string): Template => synthesizedOf(stage).merged;

describe('every stage', () => {
  it.each(STAGES)('%s passes the cdk-nag AWS Solutions checks (synthesis fails on any finding)', (stage) => {
    const { app } = createManagerApp({ context: { ...NO_BUNDLING, stage } });

    expect(() => app.synth()).not.toThrow();
  });

  it('passes cdk-nag also with a concrete account and region, as the CLI synthesizes it', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
    process.env.CDK_DEFAULT_REGION = 'eu-central-2';
    try {
      const { app } = createManagerApp({ context: { ...NO_BUNDLING, stage: 'prod' } });
      expect(() => app.synth()).not.toThrow();
    } finally {
      for (const [key, value] of Object.entries({
        CDK_DEFAULT_ACCOUNT: saved.account,
        CDK_DEFAULT_REGION: saved.region,
      })) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it.each(STAGES)(
    '%s keeps every stack within CloudFormation’s 500 resources, route stacks with room for 3× their routes',
    (stage) => {
      const { stacks, templates } = synthesizedOf(stage);
      const counts = new Map(
        stacks.all.map((stack, i) => [stack, Object.keys(templates[i]?.Resources ?? {}).length]),
      );

      // A deploy of a template over the limit fails before it starts (issue 15).
      for (const count of counts.values()) expect(count).toBeLessThanOrEqual(500);
      // A route stack grows with its features: three times its resources still fit.
      for (const routes of Object.values(stacks.routes))
        expect(3 * (counts.get(routes) ?? 0)).toBeLessThanOrEqual(500);
      expect(stacks.all.map((s) => s.stackName)).toEqual(
        ['Data', 'Workflows', 'Api', ...Object.keys(ROUTE_STACKS).map((n) => `Api${n}`), 'Operations'].map(
          (part) => `Manager-${stage}-${part}`,
        ),
      );
    },
  );

  it('gives every route a stack of its feature; only the route the stage throttles lives beside the stage', () => {
    const { stacks } = synthesizedOf('dev');
    const keys = (stack: Stack) =>
      stack.node
        .findAll()
        .filter((c) => c.node.defaultChild instanceof CfnRoute)
        .map((c) => (c.node.defaultChild as CfnRoute).routeKey);

    expect(keys(stacks.api)).toEqual(['POST /v1/password-resets']);
    expect(Object.values(stacks.routes).flatMap(keys).length + 1).toBe(ROUTES.length);
    expect(ROUTES.filter((r) => r.publicMail).map(routeStackOf)).toEqual(['Api']);
    expect(() =>
      routeStackOf({ ...(ROUTES[0] as (typeof ROUTES)[0]), entry: 'functions/newthing/get.ts' }),
    ).toThrow(/no stack holds the feature 'newthing'/);
  });

  it('keeps the data in a stack of its own, which no other stack’s change replaces', () => {
    const { stacks, templates } = synthesizedOf('prod');
    const types = new Set(Object.values(templates[0]?.Resources ?? {}).map((r) => r.Type));

    expect(stacks.all[0]).toBe(stacks.data);
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::S3::Bucket',
      'AWS::Cognito::UserPool',
      'AWS::SES::EmailIdentity',
    ])
      expect(types).toContain(type);
    // Stateful resources live nowhere else.
    for (const template of templates.slice(1)) {
      const others = Object.values(template.Resources).map((r) => r.Type);
      expect(others).not.toContain('AWS::DynamoDB::Table');
      expect(others).not.toContain('AWS::Cognito::UserPool');
    }
    // Nothing in the data stack depends on a later stack.
    expect(stacks.data.dependencies).toEqual([]);
  });

  it('sets every feature flag aws-cdk-lib recommends, for the CLI, these tests and the local stack alike', () => {
    const recommended = JSON.parse(
      readFileSync(
        join(PROJECT_ROOT, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const { app } = createManagerApp({ context: { ...NO_BUNDLING, stage: 'dev' } });

    expect(Object.keys(recommended).length).toBeGreaterThan(80);
    for (const [flag, value] of Object.entries(recommended)) {
      expect(FEATURE_FLAGS[flag]).toEqual(value);
      expect(app.node.tryGetContext(flag)).toEqual(value);
    }
  });

  it('refuses a stage that does not exist', () => {
    expect(() => createManagerApp({ context: { ...NO_BUNDLING, stage: 'qa' } })).toThrow(
      /Unknown stage 'qa'/,
    );
  });
});

describe('the table', () => {
  it('is one on-demand table with pk/sk, GSI1, GSI2 and a TTL attribute', () => {
    const template = templateOf('dev');

    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'GSI1' }),
        Match.objectLike({ IndexName: 'GSI2' }),
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is retained and protected from deletion in prod only', () => {
    templateOf('prod').hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    templateOf('dev').hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});

describe('the documents bucket', () => {
  it('blocks public access, is encrypted and refuses plain HTTP', () => {
    const template = templateOf('prod');

    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({}),
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'documents/' }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('expires pro-formas and abandoned uploads', () => {
    templateOf('dev').hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'pro-forma/', ExpirationInDays: 30 }),
          Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 1 }),
        ]),
      },
    });
  });
});

describe('functions', () => {
  it('render PDFs with pdfkit installed beside the bundle, not bundled', () => {
    const { app } = createManagerApp({ context: { ...NO_BUNDLING, stage: 'dev' } });
    const pdfFunctions = app.node
      .findAll()
      .filter(
        (c): c is ManagerFunction =>
          c instanceof ManagerFunction && c.entry.startsWith('functions/invoices/'),
      )
      .filter((f) =>
        ['functions/invoices/document.ts', 'functions/invoices/create-pro-forma.ts'].includes(f.entry),
      );

    expect(pdfFunctions.map((f) => f.nodeModules)).toEqual([['pdfkit'], ['pdfkit']]);
  });

  it('all run Node 24 on arm64 with tracing, and no source-map support in their init (issue 16)', () => {
    const functions = templateOf('dev').findResources('AWS::Lambda::Function', {
      Metadata: { 'manager:entry': Match.anyValue() },
    });

    expect(Object.keys(functions).length).toBeGreaterThan(0);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      // Node's source-map support costs 6–30 % of init CPU; the maps stay build artifacts.
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
  });

  it('log at the stage’s level into log groups with the stage’s retention', () => {
    const prod = templateOf('prod');

    prod.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'WARN' }) },
    });
    prod.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('get no managed policies: each role holds only what its binders granted', () => {
    const roles = templateOf('dev').findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        }),
      },
    });

    // CDK's bucket-emptying helper (non-prod stages) carries the basic execution policy; it is CDK's.
    const ours = Object.entries(roles).filter(([id]) => !id.startsWith('CustomS3AutoDeleteObjects'));
    expect(ours.length).toBeGreaterThan(60);
    for (const [, role] of ours) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('empty the buckets on `cdk destroy` outside prod, and keep them in prod', () => {
    templateOf('dev').resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    templateOf('staging').resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    templateOf('prod').resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('the HTTP API', () => {
  it('guards routes with a JWT authorizer on the user pool, except the declared public ones', () => {
    const template = templateOf('dev');

    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/me',
      AuthorizationType: 'JWT',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/health',
      AuthorizationType: 'NONE',
    });
  });

  it('throttles the public routes that send e-mail on their own, from the stage config (issue 13)', () => {
    for (const stage of STAGES) {
      const { rateLimit, burstLimit } = stageConfig(stage).publicMail;
      templateOf(stage).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        RouteSettings: {
          'POST /v1/password-resets': { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
        },
      });
    }
  });

  it('makes the stage wait for the routes its RouteSettings name, which the local stack holds it to', () => {
    const template = templateOf('dev').toJSON() as { Resources: Record<string, Record<string, unknown>> };
    const [stageId, stage] = Object.entries(template.Resources).find(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage',
    ) as [string, { DependsOn?: string[] }];
    const [routeId] = Object.entries(template.Resources).find(
      ([, r]) => (r.Properties as { RouteKey?: string } | undefined)?.RouteKey === 'POST /v1/password-resets',
    ) as [string, unknown];
    const names = { userPoolId: 'pool', userPoolClientId: 'client' };

    expect(stage.DependsOn).toContain(routeId);
    expect(() => describeTemplate(template as never, names)).not.toThrow();
    const without = structuredClone(template);
    (without.Resources[stageId] as { DependsOn?: string[] }).DependsOn = [];
    expect(() => describeTemplate(without as never, names)).toThrow(/does not depend on that route/);
  });

  it('lets the stage’s console send an Idempotency-Key and read Retry-After and Idempotent-Replayed', () => {
    for (const stage of STAGES) {
      templateOf(stage).hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({
          AllowOrigins: [stageConfig(stage).consoleOrigin],
          AllowHeaders: Match.arrayWith(['idempotency-key']),
          ExposeHeaders: ['retry-after', 'idempotent-replayed'],
        }),
      });
    }
  });

  it('throttles and writes access logs', () => {
    templateOf('dev').hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: Match.objectLike({ Format: Match.stringLikeRegexp('routeKey') }),
    });
  });
});

describe('workflows', () => {
  it('are four Standard state machines with full logging, tracing and a timeout', () => {
    const machines = templateOf('dev').findResources('AWS::StepFunctions::StateMachine');

    expect(Object.keys(machines)).toHaveLength(4);
    for (const machine of Object.values(machines)) {
      expect(machine.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });

  it('starts the renewal reminders once a day from EventBridge Scheduler, in the stage’s time zone (R26)', () => {
    templateOf('dev').hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Zurich',
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^RenewalReminders') } }),
    });
  });
});

describe('identity', () => {
  it('signs users in by e-mail with a strong password policy and e-mail recovery (R1, R2)', () => {
    templateOf('prod').hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      DeletionProtection: 'ACTIVE',
    });
  });
});

describe('identity you can trust (issue 13)', () => {
  const pool = () => Object.values(templateOf('prod').findResources('AWS::Cognito::UserPool'))[0]?.Properties;

  it('keeps the verified e-mail until a new one is verified, as the local pool does', () => {
    expect(pool()).toMatchObject({
      AutoVerifiedAttributes: LOCAL_POOL_SETTINGS.AutoVerifiedAttributes,
      UserAttributeUpdateSettings: LOCAL_POOL_SETTINGS.UserAttributeUpdateSettings,
    });
  });

  it.each(STAGES)(
    'gives the %s console client the code grant, its scopes and the stage’s own callback URLs',
    (stage) => {
      const config = stageConfig(stage);
      const [client] = Object.values(templateOf(stage).findResources('AWS::Cognito::UserPoolClient'));

      expect(client?.Properties).toMatchObject({
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: expect.arrayContaining(['openid', 'email', 'profile']),
        CallbackURLs: config.console.callbackUrls,
        LogoutURLs: config.console.logoutUrls,
      });
      expect(client?.Properties.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
      expect(client?.Properties.WriteAttributes).not.toContain('email_verified');
      expect(JSON.stringify(client?.Properties)).not.toContain('https://example.com');
    },
  );
});

describe('least privilege (issue 13)', () => {
  /** Every function's actions, by construct path (`GetMe`, `PasswordResetStepsSendPasswordReset`). */
  function actionsByFunction(): Map<string, Set<string>> {
    const resources = templateOf('dev').toJSON().Resources as Record<
      string,
      {
        Type: string;
        Properties: {
          Roles: { Ref: string }[];
          PolicyDocument: { Statement: { Action: string | string[] }[] };
          Role: { 'Fn::GetAtt': [string] };
        };
      }
    >;
    const byRole = new Map<string, Set<string>>();
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      for (const role of resource.Properties.Roles as { Ref: string }[]) {
        const actions = byRole.get(role.Ref) ?? new Set<string>();
        for (const statement of resource.Properties.PolicyDocument.Statement) {
          for (const action of [statement.Action].flat()) actions.add(action);
        }
        byRole.set(role.Ref, actions);
      }
    }
    // Logical ids read `<construct path><Function><hash>`: `GetMeFunction06BE212D`.
    const byFunction = new Map<string, Set<string>>();
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const name = logicalId.replace(/Function[0-9A-F]{8}$/, '');
      byFunction.set(name, byRole.get(resource.Properties.Role['Fn::GetAtt'][0]) ?? new Set());
    }
    return byFunction;
  }
  const holders = (action: string) =>
    [...actionsByFunction()]
      .filter(([, actions]) => actions.has(action))
      .map(([name]) => name)
      .sort();

  it('grants no Scan and no wildcard action to any function', () => {
    const all = [...actionsByFunction().values()].flatMap((actions) => [...actions]);

    expect(all.length).toBeGreaterThan(100);
    expect(all).not.toContain('dynamodb:Scan');
    expect(all.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('grants BatchWriteItem only to the deletion steps that remove an account in bulk', () => {
    expect(holders('dynamodb:BatchWriteItem')).toEqual([
      'AccountDeletionStepsRemoveAccess',
      'AccountDeletionStepsRemovePersonalData',
    ]);
  });

  it('grants each Cognito admin action exactly to the routes that declare it, and the reset step', () => {
    const declared = (action: string) =>
      ROUTES.filter((route) => route.userPool?.includes(action)).map((route) => route.id);

    expect(holders('cognito-idp:AdminSetUserPassword')).toEqual(['ResetPassword']);
    expect(holders('cognito-idp:AdminGetUser')).toEqual(
      [...declared('cognito-idp:AdminGetUser'), 'PasswordResetStepsSendPasswordReset'].sort(),
    );
    const cognito = [...actionsByFunction().values()]
      .flatMap((a) => [...a])
      .filter((a) => a.startsWith('cognito-idp:'));
    expect(new Set(cognito)).toEqual(
      new Set(['cognito-idp:AdminGetUser', 'cognito-idp:AdminSetUserPassword']),
    );
  });

  it('lets only the functions that send e-mail use SES, and only page routes read the cursor key', () => {
    expect(holders('ses:SendEmail')).toEqual(
      [
        'AccountDeletionStepsAskConfirmation',
        'AccountDeletionStepsEndDeletion',
        'AccountDeletionStepsFinish',
        'AppointLegalRepresentative',
        'InvitationStepsNotifyInviter',
        'InvitationStepsSendInvitation',
        'PasswordResetStepsSendPasswordReset',
        'RenewalRemindersStepsRemindShard',
        'RequestRecoveryEmail',
        'ResendInvitation',
      ].sort(),
    );
    expect(holders('secretsmanager:GetSecretValue')).toEqual(
      ROUTES.filter((route) => route.pages)
        .map((route) => route.id)
        .sort(),
    );
  });
});

/** The stage's ops topic (there is also the mail-events topic). */
const opsTopic = (template: Template, stage: string) =>
  Object.keys(
    template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: `Manager ${stage} operations` } }),
  )[0];

describe('operations (issue 15)', () => {
  const ALARMS = [
    'Api5xxRate',
    'ApiLatencyP99',
    'LambdaErrors',
    'LambdaThrottles',
    'InvitationFailures',
    'RenewalRemindersFailures',
    'AccountDeletionFailures',
    'PasswordResetFailures',
    'SchedulerFailures',
    'SesBounceRate',
    'SesComplaintRate',
    'DynamoDbThrottles',
    'DynamoDbSystemErrors',
  ];

  it.each(STAGES)(
    '%s: every alarm, with the stage’s thresholds, tells the ops topic when it fires and ends',
    (stage) => {
      const template = templateOf(stage);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: {
          AlarmDescription: string;
          Threshold: number;
          AlarmActions: unknown[];
          OKActions: unknown[];
        };
      }[];
      const topic = opsTopic(template, stage);
      const { alarms: limits } = stageConfig(stage).ops;
      const named = (name: string) =>
        alarms.find((a) => a.Properties.AlarmDescription.endsWith(`#${name.toLowerCase()})`))?.Properties;

      expect(alarms.map((a) => /#([a-z0-9]+)\)$/.exec(a.Properties.AlarmDescription)?.[1]).sort()).toEqual(
        ALARMS.map((a) => a.toLowerCase()).sort(),
      );
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
      }
      expect(named('Api5xxRate')?.Threshold).toBe(limits.api5xxPercent);
      expect(named('ApiLatencyP99')?.Threshold).toBe(limits.apiP99Ms);
      expect(named('LambdaErrors')?.Threshold).toBe(limits.lambdaErrors);
      expect(named('SesBounceRate')?.Threshold).toBe(limits.sesBounceRate);
      expect(named('SesComplaintRate')?.Threshold).toBe(limits.sesComplaintRate);
    },
  );

  it.each(STAGES)(
    '%s: one encrypted ops topic, its subscribers from the stage config, and a dashboard',
    (stage) => {
      const template = templateOf(stage);

      template.hasResourceProperties('AWS::SNS::Topic', {
        DisplayName: `Manager ${stage} operations`,
        KmsMasterKeyId: Match.anyValue(),
      });
      const subscriptions = Object.values(
        template.findResources('AWS::SNS::Subscription', {
          Properties: { Protocol: 'email', TopicArn: { Ref: opsTopic(template, stage) } },
        }),
      ).map((s) => (s as { Properties: { Endpoint: string } }).Properties.Endpoint);
      expect(subscriptions).toEqual(stageConfig(stage).ops.emails);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: `Manager-${stage}` });
    },
  );

  it('writes the business events as metrics every function may emit, and graphs them on the dashboard', () => {
    const template = templateOf('prod');
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard);

    for (const event of BUSINESS_EVENTS) expect(body).toContain(`\\"${event}\\"`);
    expect(body).toContain(`\\"${METRICS_NAMESPACE}\\"`);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE }) },
    });
  });

  it('notifies the ops topic of every execution that failed, timed out, or was aborted other than on purpose', () => {
    const template = templateOf('prod');
    const topic = opsTopic(template, 'prod');

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: Match.anyValue(),
          $or: [
            { status: ['FAILED', 'TIMED_OUT'] },
            { status: ['ABORTED'], error: [{ 'anything-but': ['InvitationRevoked'] }] },
          ],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: topic },
          InputTransformer: Match.objectLike({
            InputTemplate: Match.stringLikeRegexp('<detail-executionArn>'),
          }),
        }),
      ],
    });
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as {
      Properties: { EventPattern: { detail: { stateMachineArn: unknown[] } } };
    };
    expect(rule.Properties.EventPattern.detail.stateMachineArn).toHaveLength(4);
  });

  it('retries the daily reminder start, then keeps it in a dead-letter queue', () => {
    const template = templateOf('prod');
    const [queue] = Object.keys(template.findResources('AWS::SQS::Queue'));

    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 7200 },
      }),
    });
  });

  it.each(STAGES)('%s: the state machines log under /aws/vendedlogs/states/', (stage) => {
    const template = templateOf(stage);
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as {
      Properties: {
        LoggingConfiguration: { Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[] };
      };
    }[];
    const groups = template.findResources('AWS::Logs::LogGroup');

    for (const machine of machines) {
      const arn = machine.Properties.LoggingConfiguration.Destinations[0]?.CloudWatchLogsLogGroup
        .LogGroupArn as {
        'Fn::GetAtt': [string, string];
      };
      const group = groups[arn['Fn::GetAtt'][0]] as { Properties: { LogGroupName: string } };
      expect(group.Properties.LogGroupName).toMatch(new RegExp(`^/aws/vendedlogs/states/Manager-${stage}-`));
    }
  });

  it.each(['staging', 'prod'])(
    '%s: the user pool sends its e-mails through the stage’s SES domain',
    (stage) => {
      const { mailFrom, mailDomain, mailDomainVerified } = stageConfig(stage);
      const template = templateOf(stage);
      const [identity] = Object.keys(template.findResources('AWS::SES::EmailIdentity'));

      expect(mailDomainVerified).toBe(true);
      template.hasResource('AWS::Cognito::UserPool', {
        // Created after the identity it sends through.
        DependsOn: Match.arrayWith([identity]),
        Properties: Match.objectLike({
          EmailConfiguration: {
            EmailSendingAccount: 'DEVELOPER',
            From: `Manager <${mailFrom}>`,
            SourceArn: Match.objectLike({
              'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`identity/${mailDomain}$`)])],
            }),
          },
        }),
      });
    },
  );

  it('keeps Cognito’s own sender while a stage’s domain is not verified (Cognito refuses an unverified one)', () => {
    const pool = Object.values(templateOf('dev').findResources('AWS::Cognito::UserPool'))[0] as {
      Properties: { EmailConfiguration?: { EmailSendingAccount?: string } };
    };

    expect(stageConfig('dev').mailDomainVerified).toBe(false);
    expect(pool.Properties.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT').toBe(
      'COGNITO_DEFAULT',
    );
  });
});

describe('mail hygiene (issue 15)', () => {
  it.each(STAGES)('%s: bounces and complaints go to an encrypted topic that a function records', (stage) => {
    const template = templateOf(stage);
    const topics = template.findResources('AWS::SNS::Topic', {
      Properties: { DisplayName: `Manager ${stage} mail events` },
    });
    const [topic] = Object.keys(topics);
    const functions = template.findResources('AWS::Lambda::Function', {
      Metadata: { 'manager:entry': 'functions/mail-events/record.ts' },
    });
    const [recorder] = Object.keys(functions);

    expect(topic).toBeDefined();
    expect(recorder).toBeDefined();
    expect(Object.values(topics)[0]).toMatchObject({ Properties: { KmsMasterKeyId: expect.anything() } });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topic } },
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [recorder, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topic },
      FunctionName: { 'Fn::GetAtt': [recorder, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } }),
        ]),
      }),
    });
  });
});
