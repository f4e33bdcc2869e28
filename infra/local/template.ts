import { App } from 'aws-cdk-lib';
import { stageConfig } from '../config/stages.ts';
import { ENTRY_METADATA, HANDLER_METADATA } from '../constructs/manager-function.ts';
import { ManagerStack } from '../stacks/manager-stack.ts';

/**
 * Reads the CloudFormation template CDK synthesizes for the `dev` stage and turns it into
 * what the local stack runs: the table to create, the buckets, the functions (entry module +
 * environment), the HTTP routes and the state-machine definitions. Nothing here is declared a
 * second time: change the stack and the local stack follows.
 */

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'eu-central-2';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, Resource>;
}

export interface LocalFunction {
  logicalId: string;
  entry: string;
  handler: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

export interface LocalRoute {
  method: string;
  path: string;
  /** true: JWT authorizer, as in API Gateway. */
  auth: boolean;
  functionId: string;
}

export interface LocalStateMachine {
  logicalId: string;
  arn: string;
  definition: Record<string, unknown>;
}

export interface LocalTable {
  logicalId: string;
  name: string;
  properties: Record<string, unknown>;
}

export interface LocalDescription {
  tables: LocalTable[];
  buckets: string[];
  functions: Map<string, LocalFunction>;
  routes: LocalRoute[];
  stateMachines: LocalStateMachine[];
  /** The issuer and audience the HTTP API's JWT authorizer is configured with (as refs). */
  authorizer: { issuerRef: string; audienceRefs: string[] } | undefined;
}

/** Names the local stack gives to resources CloudFormation would name. */
export interface LocalNames {
  userPoolId: string;
  userPoolClientId: string;
}

/** Synthesizes the stack in-process, without bundling (the local stack runs the sources). */
export function synthesizeTemplate(stage = 'dev'): CfnTemplate {
  const app = new App({ context: { stage, 'aws:cdk:bundling-stacks': [] } });
  const stack = new ManagerStack(app, `Manager-${stage}`, { stage: stageConfig(stage) });
  const assembly = app.synth();
  return assembly.getStackByName(stack.stackName).template as CfnTemplate;
}

export const stateMachineArn = (logicalId: string) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${logicalId}`;
export const functionArn = (logicalId: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;

const localBucketName = (logicalId: string) => logicalId.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Resolves the intrinsic functions CDK emits into concrete local values. */
export function createResolver(template: CfnTemplate, names: LocalNames) {
  const refOf = (logicalId: string): string => {
    const pseudo: Record<string, string> = {
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'Manager-local',
    };
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
      default:
        return logicalId;
    }
  };
  const getAtt = (logicalId: string, attribute: string): string => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`Unknown GetAtt ${logicalId}.${attribute}`);
    if (resource.Type === 'AWS::Lambda::Function' && attribute === 'Arn') return functionArn(logicalId);
    if (attribute === 'Arn') return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
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
        return parts.map((part) => String(resolve(part))).join(separator);
      }
      if (key.startsWith('Fn::')) throw new Error(`The local stack does not resolve ${key}`);
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(object[key])]));
  };
  return { resolve, refOf };
}

const ofType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

export function describeTemplate(template: CfnTemplate, names: LocalNames): LocalDescription {
  const { resolve, refOf } = createResolver(template, names);

  const tables = ofType(template, 'AWS::DynamoDB::Table').map(([logicalId, resource]) => ({
    logicalId,
    name: refOf(logicalId),
    properties: resolve(resource.Properties ?? {}) as Record<string, unknown>,
  }));
  const buckets = ofType(template, 'AWS::S3::Bucket').map(([logicalId]) => refOf(logicalId));

  const functions = new Map<string, LocalFunction>();
  for (const [logicalId, resource] of ofType(template, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.[ENTRY_METADATA];
    if (typeof entry !== 'string') continue; // CDK's own helper functions, if any.
    const props = resource.Properties ?? {};
    const variables = ((props.Environment as { Variables?: Record<string, unknown> })?.Variables ??
      {}) as Record<string, unknown>;
    functions.set(logicalId, {
      logicalId,
      entry,
      handler: String(resource.Metadata?.[HANDLER_METADATA] ?? 'handler'),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(resolve(v))])),
      timeoutSeconds: Number(props.Timeout ?? 3),
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
  const routes = ofType(template, 'AWS::ApiGatewayV2::Route').map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const [method, path] = String(props.RouteKey).split(' ') as [string, string];
    const target = String(resolve(props.Target));
    const functionId = integrations.get(target.replace(/^integrations\//, ''));
    if (!functionId) throw new Error(`Route ${logicalId} has no Lambda integration`);
    return { method, path, auth: props.AuthorizationType === 'JWT', functionId };
  });

  const [authorizerEntry] = ofType(template, 'AWS::ApiGatewayV2::Authorizer');
  const jwt = authorizerEntry?.[1].Properties?.JwtConfiguration as
    | { Audience: unknown[]; Issuer: unknown }
    | undefined;
  const authorizer = jwt
    ? { issuerRef: String(resolve(jwt.Issuer)), audienceRefs: jwt.Audience.map((a) => String(resolve(a))) }
    : undefined;

  const stateMachines = ofType(template, 'AWS::StepFunctions::StateMachine').map(([logicalId, resource]) => ({
    logicalId,
    arn: stateMachineArn(logicalId),
    definition: JSON.parse(String(resolve(resource.Properties?.DefinitionString))) as Record<string, unknown>,
  }));

  return { tables, buckets, functions, routes, stateMachines, authorizer };
}
