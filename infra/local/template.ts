import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StageConfig } from '../config/stages.ts';
import {
  ENTRY_METADATA,
  HANDLER_METADATA,
  NODE_MODULES_METADATA,
  PROJECT_ROOT,
} from '../constructs/manager-function.ts';
import {
  functionArn,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  roleArn,
  secretArn,
  stateMachineArn,
  tableArn,
  userPoolArn,
} from './account.ts';
import type { LocalEventRule } from './events.ts';
import type { PolicyStatement } from './iam.ts';

/**
 * Reads the CloudFormation template CDK synthesizes and turns it into what the local stack
 * runs: the table to create, the buckets, the functions (entry module or bundled asset, their
 * own environment, role, memory and timeout), the roles' policies, the HTTP routes and the
 * state-machine definitions. Nothing here is declared a second time: change the stack and the
 * local stack follows.
 */

export { LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

/**
 * The stage's stacks as one template, as the local stack runs them: their resources side by
 * side, each reference across stacks — `Fn::GetStackOutput` (CDK's weak references, decision
 * 89) or `Fn::ImportValue` (an export) — replaced by the value the producing stack's output
 * gives, so that it resolves to the same resource it names in AWS. What would fail a deployment
 * fails here: a reference to an output no stack has, a stack that reads another's output without
 * depending on it (`dependsOn`: `cdk deploy --all` could deploy it first), two stacks holding
 * one logical id.
 */
export function mergeTemplates(
  stacks: { stackName: string; template: CfnTemplate; dependsOn?: string[] }[],
): CfnTemplate {
  const exports = new Map<string, { stackName: string; value: unknown }>();
  const outputs = new Map<string, unknown>();
  const resources: Record<string, Resource> = {};
  for (const { stackName, template } of stacks) {
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      outputs.set(`${stackName}/${name}`, output.Value);
      if (output.Export) exports.set(output.Export.Name, { stackName, value: output.Value });
    }
  }
  for (const consumer of stacks) {
    const from = (producer: string, what: string) => {
      if (consumer.dependsOn && producer !== consumer.stackName && !consumer.dependsOn.includes(producer)) {
        throw new Error(`${consumer.stackName} reads ${what} of ${producer} without depending on it`);
      }
    };
    const referenced = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(referenced);
      if (value === null || typeof value !== 'object') return value;
      const object = value as Record<string, unknown>;
      if ('Fn::ImportValue' in object) {
        const name = object['Fn::ImportValue'];
        const exported = typeof name === 'string' ? exports.get(name) : undefined;
        if (!exported) throw new Error(`Fn::ImportValue ${JSON.stringify(name)}: no stack exports it`);
        from(exported.stackName, `the export ${name}`);
        return exported.value;
      }
      if ('Fn::GetStackOutput' in object) {
        const { StackName, OutputName } = object['Fn::GetStackOutput'] as {
          StackName?: string;
          OutputName?: string;
        };
        const key = `${StackName}/${OutputName}`;
        if (!outputs.has(key)) throw new Error(`Fn::GetStackOutput ${key}: no stack has that output`);
        from(String(StackName), `the output ${OutputName}`);
        return outputs.get(key);
      }
      return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, referenced(item)]));
    };
    for (const [id, resource] of Object.entries(consumer.template.Resources)) {
      // Every stack reports its CDK version; none of that runs.
      if (resource.Type === 'AWS::CDK::Metadata') continue;
      if (resources[id]) throw new Error(`Two stacks hold a resource named ${id}`);
      resources[id] = referenced(resource) as Resource;
    }
  }
  return { Resources: resources };
}

export interface LocalFunction {
  logicalId: string;
  /** Source module, relative to the repository root (`functions/me/get.ts`). */
  entry: string;
  handler: string;
  /** The variables the template gives the function, resolved to local values; nothing else. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  /** The role the function runs as (its policies decide what its AWS calls may do). */
  roleId: string;
  /** Packages installed beside the bundle instead of bundled (pdfkit). */
  nodeModules: string[];
  /** Directory of the bundled asset (`index.mjs`), when the template was synthesized with bundling. */
  asset?: string;
}

export interface LocalRoute {
  method: string;
  path: string;
  /** true: JWT authorizer, as in API Gateway. */
  auth: boolean;
  functionId: string;
  /** The stage's own throttle for this route (RouteSettings), if it has one. */
  throttle?: { rateLimit: number; burstLimit: number };
}

export interface LocalStateMachine {
  logicalId: string;
  arn: string;
  roleId: string;
  definition: Record<string, unknown>;
}

export interface LocalTable {
  logicalId: string;
  name: string;
  properties: Record<string, unknown>;
}

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  /** Response headers a page's script may read (API: `ExposeHeaders`). */
  exposedHeaders?: string[];
  maxAge?: number;
}

export interface LocalBucket {
  logicalId: string;
  name: string;
  cors: CorsRule[];
}

export interface LocalRole {
  logicalId: string;
  arn: string;
  statements: PolicyStatement[];
}

export interface LocalDescription {
  tables: LocalTable[];
  buckets: LocalBucket[];
  functions: Map<string, LocalFunction>;
  roles: Map<string, LocalRole>;
  routes: LocalRoute[];
  stateMachines: LocalStateMachine[];
  /** The issuer and audience the HTTP API's JWT authorizer is configured with (as refs). */
  authorizer: { issuerRef: string; audienceRefs: string[] } | undefined;
  /** The HTTP API's CORS configuration. */
  apiCors: CorsRule | undefined;
  /** Verified SES identities (domains or addresses) and configuration sets. */
  mail: { identities: string[]; configurationSets: string[] };
  /** Secrets Manager secrets the template creates, with how their value is generated. */
  secrets: LocalSecret[];
  /** EventBridge rules on Step Functions executions (infra/local/events.ts). */
  eventRules: LocalEventRule[];
  /**
   * Functions subscribed to SNS topics, by topic ARN; `permitted`: the function's resource
   * policy lets SNS invoke it from that topic (without it, SNS's deliveries fail).
   */
  topicSubscriptions: { topicArn: string; functionId: string; permitted: boolean }[];
}

export interface LocalSecret {
  logicalId: string;
  arn: string;
  length: number;
  excludePunctuation: boolean;
}

/** Names the local stack gives to resources CloudFormation would name. */
export interface LocalNames {
  userPoolId: string;
  userPoolClientId: string;
}

export interface SynthesizedTemplate {
  template: CfnTemplate;
  /** Where each bundled asset's directory is, by its S3 key (`<hash>.zip`); empty without bundling. */
  assets: Map<string, string>;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/**
 * The template CDK synthesizes for the stage, without bundling, kept in a cache named after the
 * hash of everything synthesis reads (the stage config, the sources, the lockfile): loading the
 * CDK library and synthesizing take seconds, and most starts of the local stack synthesize an
 * unchanged stack.
 */
export async function cachedTemplate(stage: string | StageConfig = 'dev'): Promise<SynthesizedTemplate> {
  // A stage named is read from infra/config, whose source is part of the hash.
  const hash = createHash('sha256').update(JSON.stringify(stage));
  for (const dir of ['infra', 'workflows', 'functions']) {
    for (const file of [...sourceFiles(join(PROJECT_ROOT, dir))].sort()) {
      hash.update(relative(PROJECT_ROOT, file)).update(readFileSync(file));
    }
  }
  for (const file of ['package-lock.json', 'cdk.json']) hash.update(readFileSync(join(PROJECT_ROOT, file)));
  const cache = join(PROJECT_ROOT, 'node_modules', '.cache', 'manager-local');
  const file = join(cache, `template-${hash.digest('hex').slice(0, 16)}.json`);
  if (existsSync(file))
    return { template: JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate, assets: new Map() };
  // The CDK library takes seconds to load: only when the cache cannot answer.
  const { synthesizeTemplate } = await import('./synthesize.ts');
  const synthesized = synthesizeTemplate(stage);
  mkdirSync(cache, { recursive: true });
  writeFileSync(file, JSON.stringify(synthesized.template));
  return synthesized;
}

const localBucketName = (logicalId: string) => logicalId.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Resolves the intrinsic functions CDK emits into concrete local values. */
export function createResolver(template: CfnTemplate, names: LocalNames) {
  const pseudo: Record<string, string> = {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'Manager-local',
  };
  const refOf = (logicalId: string): string => {
    const known = pseudo[logicalId];
    if (known) return known;
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`Unknown Ref ${logicalId}`);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return `manager-local-${logicalId}`;
      case 'AWS::S3::Bucket':
        return localBucketName(logicalId);
      case 'AWS::StepFunctions::StateMachine':
        return stateMachineArn(logicalId);
      case 'AWS::Cognito::UserPool':
        return names.userPoolId;
      case 'AWS::Cognito::UserPoolClient':
        return names.userPoolClientId;
      case 'AWS::SES::EmailIdentity':
        return String(resource.Properties?.EmailIdentity);
      case 'AWS::SecretsManager::Secret':
        return secretArn(logicalId);
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
      default:
        return logicalId;
    }
  };
  const getAtt = (logicalId: string, attribute: string): string => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`Unknown GetAtt ${logicalId}.${attribute}`);
    if (attribute === 'Arn') {
      switch (resource.Type) {
        case 'AWS::Lambda::Function':
          return functionArn(logicalId);
        case 'AWS::DynamoDB::Table':
          return tableArn(refOf(logicalId));
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${refOf(logicalId)}`;
        case 'AWS::Logs::LogGroup':
          return `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${logicalId}:*`;
        case 'AWS::Cognito::UserPool':
          return userPoolArn(names.userPoolId);
        case 'AWS::IAM::Role':
          return roleArn(logicalId);
        case 'AWS::StepFunctions::StateMachine':
          return stateMachineArn(logicalId);
        // Operations (issue 15): named in policies and alarms, not emulated beyond that.
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
        case 'AWS::KMS::Key':
          return `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${logicalId}`;
        default:
          throw new Error(`The local stack does not know the ARN of ${resource.Type}`);
      }
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') return logicalId;
    if (resource.Type === 'AWS::S3::Bucket' && attribute === 'RegionalDomainName') {
      return `${refOf(logicalId)}.s3.${LOCAL_REGION}.amazonaws.com`;
    }
    return `${logicalId}.${attribute}`;
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = object[key];
      if (key === 'Ref') return refOf(arg as string);
      if (key === 'Fn::GetAtt') {
        const [id, attribute] = arg as [string, string];
        return getAtt(id, attribute);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolve(parts) as unknown[]).map(String).join(separator);
      }
      if (key === 'Fn::Split') {
        const [separator, source] = arg as [string, unknown];
        return String(resolve(source)).split(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = arg as [number | string, unknown];
        const items = resolve(list) as unknown[];
        const selected = items[Number(index)];
        if (selected === undefined) throw new Error(`Fn::Select: no item ${index}`);
        return selected;
      }
      if (key === 'Fn::Sub' && typeof arg === 'string') {
        return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          const [id, attribute] = name.split('.') as [string, string | undefined];
          return attribute ? getAtt(id, attribute) : refOf(id);
        });
      }
      if (key.startsWith('Fn::')) throw new Error(`The local stack does not resolve ${key}`);
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(object[key])]));
  };
  return { resolve, refOf };
}

const ofType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `{ "Fn::GetAtt": [id, "Arn"] }` → id: the role a function or state machine runs as. */
function roleOfArn(value: unknown, owner: string): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt'];
  if (getAtt?.[1] !== 'Arn') throw new Error(`${owner}: its role is not a role of this template`);
  return getAtt[0];
}

export function describeTemplate(
  synthesized: SynthesizedTemplate | CfnTemplate,
  names: LocalNames,
): LocalDescription {
  const { template, assets } =
    'template' in synthesized ? synthesized : { template: synthesized, assets: new Map<string, string>() };
  const { resolve, refOf } = createResolver(template, names);

  const tables = ofType(template, 'AWS::DynamoDB::Table').map(([logicalId, resource]) => ({
    logicalId,
    name: refOf(logicalId),
    properties: resolve(resource.Properties ?? {}) as Record<string, unknown>,
  }));
  const buckets = ofType(template, 'AWS::S3::Bucket').map(([logicalId, resource]) => {
    const cors = resolve(resource.Properties?.CorsConfiguration ?? { CorsRules: [] }) as {
      CorsRules: {
        AllowedOrigins: string[];
        AllowedMethods: string[];
        AllowedHeaders?: string[];
        MaxAge?: number;
      }[];
    };
    return {
      logicalId,
      name: refOf(logicalId),
      cors: cors.CorsRules.map((rule) => ({
        allowedOrigins: rule.AllowedOrigins,
        allowedMethods: rule.AllowedMethods,
        allowedHeaders: rule.AllowedHeaders ?? [],
        ...(rule.MaxAge === undefined ? {} : { maxAge: rule.MaxAge }),
      })),
    };
  });

  // CDK's own helper functions (emptying a bucket on `cdk destroy`) never run locally: their
  // roles, which hold AWS managed policies, are left aside with them.
  const helperRoles = new Set(
    ofType(template, 'AWS::Lambda::Function')
      .filter(([, r]) => typeof r.Metadata?.[ENTRY_METADATA] !== 'string')
      .map(([id, r]) => roleOfArn(r.Properties?.Role, `Function ${id}`)),
  );
  const roles = new Map<string, LocalRole>();
  for (const [logicalId, resource] of ofType(template, 'AWS::IAM::Role')) {
    if (helperRoles.has(logicalId)) continue;
    const props = resource.Properties ?? {};
    if (props.ManagedPolicyArns || props.Policies) {
      throw new Error(`Role ${logicalId}: managed or inline role policies are not evaluated locally`);
    }
    roles.set(logicalId, { logicalId, arn: roleArn(logicalId), statements: [] });
  }
  for (const [logicalId, resource] of ofType(template, 'AWS::IAM::Policy')) {
    const props = resource.Properties ?? {};
    const document = resolve(props.PolicyDocument) as { Statement: PolicyStatement[] };
    for (const ref of asList(props.Roles as { Ref: string }[] | undefined)) {
      const role = roles.get(ref.Ref);
      if (!role) throw new Error(`Policy ${logicalId} is attached to an unknown role`);
      role.statements.push(...document.Statement);
    }
  }

  const functions = new Map<string, LocalFunction>();
  for (const [logicalId, resource] of ofType(template, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.[ENTRY_METADATA];
    if (typeof entry !== 'string') continue; // CDK's own helper functions, if any.
    const props = resource.Properties ?? {};
    const variables = ((props.Environment as { Variables?: Record<string, unknown> })?.Variables ??
      {}) as Record<string, unknown>;
    const s3Key = (props.Code as { S3Key?: string } | undefined)?.S3Key;
    const asset = s3Key ? assets.get(s3Key) : undefined;
    functions.set(logicalId, {
      logicalId,
      entry,
      handler: String(resource.Metadata?.[HANDLER_METADATA] ?? 'handler'),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(resolve(v))])),
      timeoutSeconds: Number(props.Timeout ?? 3),
      memorySize: Number(props.MemorySize ?? 128),
      roleId: roleOfArn(props.Role, `Function ${logicalId}`),
      nodeModules: (resource.Metadata?.[NODE_MODULES_METADATA] as string[] | undefined) ?? [],
      ...(asset ? { asset } : {}),
    });
  }

  const integrations = new Map(
    ofType(template, 'AWS::ApiGatewayV2::Integration').map(([logicalId, resource]) => {
      const uri = resource.Properties?.IntegrationUri as { 'Fn::GetAtt'?: [string, string] };
      const functionId = uri?.['Fn::GetAtt']?.[0];
      if (!functionId) throw new Error(`Integration ${logicalId} is not a Lambda proxy integration`);
      return [logicalId, functionId] as const;
    }),
  );
  // API Gateway may only invoke a function whose resource policy lets it (AWS::Lambda::Permission).
  const invokableByApi = new Set(
    ofType(template, 'AWS::Lambda::Permission')
      .filter(([, r]) => r.Properties?.Principal === 'apigateway.amazonaws.com')
      .map(([, r]) => (r.Properties?.FunctionName as { 'Fn::GetAtt'?: [string] })?.['Fn::GetAtt']?.[0]),
  );
  const routeSettings = Object.assign(
    {},
    ...ofType(template, 'AWS::ApiGatewayV2::Stage').map(([, r]) => r.Properties?.RouteSettings ?? {}),
  ) as Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }>;
  // A stage's RouteSettings may only name routes that exist when the stage is made: API Gateway
  // refuses the stage otherwise ("Unable to find Route by key"), so it must depend on them.
  const routeIds = new Map(
    ofType(template, 'AWS::ApiGatewayV2::Route').map(([id, r]) => [String(r.Properties?.RouteKey), id]),
  );
  for (const [stageId, stage] of ofType(template, 'AWS::ApiGatewayV2::Stage')) {
    const dependsOn = [(stage as { DependsOn?: string | string[] }).DependsOn ?? []].flat();
    for (const key of Object.keys((stage.Properties?.RouteSettings as object | undefined) ?? {})) {
      const routeId = routeIds.get(key);
      if (!routeId || !dependsOn.includes(routeId)) {
        throw new Error(
          `Stage ${stageId}: RouteSettings name ${key}, but the stage does not depend on that route`,
        );
      }
    }
  }
  const routes = ofType(template, 'AWS::ApiGatewayV2::Route').map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const [method, path] = String(props.RouteKey).split(' ') as [string, string];
    const target = String(resolve(props.Target));
    const functionId = integrations.get(target.replace(/^integrations\//, ''));
    if (!functionId) throw new Error(`Route ${logicalId} has no Lambda integration`);
    if (!invokableByApi.has(functionId)) {
      throw new Error(`Route ${props.RouteKey}: API Gateway has no permission to invoke ${functionId}`);
    }
    const settings = routeSettings[String(props.RouteKey)];
    const throttle =
      settings?.ThrottlingRateLimit !== undefined && settings.ThrottlingBurstLimit !== undefined
        ? { rateLimit: settings.ThrottlingRateLimit, burstLimit: settings.ThrottlingBurstLimit }
        : undefined;
    return {
      method,
      path,
      auth: props.AuthorizationType === 'JWT',
      functionId,
      ...(throttle ? { throttle } : {}),
    };
  });

  const [authorizerEntry] = ofType(template, 'AWS::ApiGatewayV2::Authorizer');
  const jwt = authorizerEntry?.[1].Properties?.JwtConfiguration as
    | { Audience: unknown[]; Issuer: unknown }
    | undefined;
  const authorizer = jwt
    ? { issuerRef: String(resolve(jwt.Issuer)), audienceRefs: jwt.Audience.map((a) => String(resolve(a))) }
    : undefined;
  const [apiEntry] = ofType(template, 'AWS::ApiGatewayV2::Api');
  const apiCorsConfig = apiEntry?.[1].Properties?.CorsConfiguration as
    | {
        AllowOrigins?: string[];
        AllowMethods?: string[];
        AllowHeaders?: string[];
        ExposeHeaders?: string[];
        MaxAge?: number;
      }
    | undefined;
  const apiCors = apiCorsConfig
    ? {
        allowedOrigins: apiCorsConfig.AllowOrigins ?? [],
        allowedMethods: apiCorsConfig.AllowMethods ?? [],
        allowedHeaders: apiCorsConfig.AllowHeaders ?? [],
        ...(apiCorsConfig.ExposeHeaders ? { exposedHeaders: apiCorsConfig.ExposeHeaders } : {}),
        ...(apiCorsConfig.MaxAge === undefined ? {} : { maxAge: apiCorsConfig.MaxAge }),
      }
    : undefined;

  const stateMachines = ofType(template, 'AWS::StepFunctions::StateMachine').map(([logicalId, resource]) => ({
    logicalId,
    arn: stateMachineArn(logicalId),
    roleId: roleOfArn(resource.Properties?.RoleArn, `State machine ${logicalId}`),
    definition: JSON.parse(String(resolve(resource.Properties?.DefinitionString))) as Record<string, unknown>,
  }));

  const mail = {
    identities: ofType(template, 'AWS::SES::EmailIdentity').map(([id]) => refOf(id)),
    configurationSets: ofType(template, 'AWS::SES::ConfigurationSet').map(([id]) => refOf(id)),
  };

  const secrets = ofType(template, 'AWS::SecretsManager::Secret').map(([logicalId, resource]) => {
    const generate = (resource.Properties?.GenerateSecretString ?? {}) as {
      PasswordLength?: number;
      ExcludePunctuation?: boolean;
    };
    return {
      logicalId,
      arn: refOf(logicalId),
      length: generate.PasswordLength ?? 32,
      excludePunctuation: generate.ExcludePunctuation ?? false,
    };
  });

  const eventRules = ofType(template, 'AWS::Events::Rule')
    .map(([logicalId, resource]) => {
      const props = resolve(resource.Properties ?? {}) as {
        EventPattern?: Record<string, unknown>;
        State?: string;
        Targets?: {
          Arn: string;
          InputTransformer?: { InputTemplate: string; InputPathsMap?: Record<string, string> };
        }[];
      };
      return {
        logicalId,
        enabled: props.State !== 'DISABLED',
        pattern: props.EventPattern ?? {},
        targets: (props.Targets ?? []).map((t) => ({
          arn: String(t.Arn),
          ...(t.InputTransformer
            ? {
                inputTemplate: t.InputTransformer.InputTemplate,
                inputPathsMap: t.InputTransformer.InputPathsMap ?? {},
              }
            : {}),
        })),
      };
    })
    .filter((rule) => rule.enabled && (rule.pattern.source as unknown[] | undefined)?.includes('aws.states'))
    .map(({ enabled: _, ...rule }) => rule);

  const getAttId = (value: unknown) => (value as { 'Fn::GetAtt'?: [string] })?.['Fn::GetAtt']?.[0];
  const snsPermissions = ofType(template, 'AWS::Lambda::Permission')
    .filter(([, r]) => r.Properties?.Principal === 'sns.amazonaws.com')
    .map(([, r]) => `${getAttId(r.Properties?.FunctionName)} ${String(resolve(r.Properties?.SourceArn))}`);
  const topicSubscriptions = ofType(template, 'AWS::SNS::Subscription')
    .filter(([, r]) => r.Properties?.Protocol === 'lambda')
    .map(([, r]) => {
      const topicArn = String(resolve(r.Properties?.TopicArn));
      const functionId = String(getAttId(r.Properties?.Endpoint));
      return { topicArn, functionId, permitted: snsPermissions.includes(`${functionId} ${topicArn}`) };
    });

  return {
    topicSubscriptions,
    tables,
    buckets,
    functions,
    roles,
    routes,
    stateMachines,
    authorizer,
    apiCors,
    mail,
    secrets,
    eventRules,
  };
}
