import { CfnOutput, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import type { Identity } from './identity.ts';
import type { ManagerFunction } from './manager-function.ts';

export interface ApiProps {
  stage: StageConfig;
  identity: Identity;
}

export interface RouteProps {
  method: HttpMethod;
  /** API Gateway path, with `{param}` placeholders: `/v1/organizations/{orgId}`. */
  path: string;
  function: ManagerFunction;
  /** Public routes say so explicitly; every other route needs a valid JWT. */
  public?: boolean;
  /** A route anyone can make send e-mail: throttled on its own (stage config `publicMail`). */
  sendsMailPublicly?: boolean;
}

/**
 * The HTTP API. A JWT authorizer on the Cognito user pool guards every route by default,
 * exactly as the local front does with the local issuer's JWKS.
 */
export class Api extends Construct {
  public readonly httpApi: HttpApi;
  readonly #stage: CfnStage;
  readonly #publicMail: StageConfig['publicMail'];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { stage, identity } = props;
    const authorizer = new HttpUserPoolAuthorizer('Jwt', identity.userPool, {
      userPoolClients: [identity.consoleClient],
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: `Manager API (${stage.name})`,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: [stage.consoleOrigin],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        // A console's script reads when to retry and whether an answer is a replay.
        exposeHeaders: ['retry-after', 'idempotent-replayed'],
        maxAge: undefined,
      },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    const defaultStage = this.httpApi.defaultStage?.node.defaultChild as CfnStage;
    this.#stage = defaultStage;
    this.#publicMail = stage.publicMail;
    defaultStage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        userId: '$context.authorizer.claims.sub',
      }),
    };
    // A cheap guard against runaway clients and bills.
    defaultStage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: identity.consoleClient.userPoolClientId });
    new CfnOutput(this, 'Region', { value: Stack.of(this).region });
  }

  /**
   * Adds a route in `scope`, which may be another stack than the API's: the route, its
   * integration and the function's invoke permission are resources of that stack.
   */
  addRoute(scope: Construct, route: RouteProps): void {
    const id = `${route.method}${route.path}`.replace(/[^A-Za-z0-9]/g, '');
    const created = new HttpRoute(scope, `${id}Route`, {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.with(route.path, route.method),
      integration: new HttpLambdaIntegration(id, route.function.fn),
      ...(route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
    });
    if (route.sendsMailPublicly) {
      if (Stack.of(scope) !== Stack.of(this)) {
        throw new Error(
          `${route.method} ${route.path}: the stage throttles it on its own, so it must be a route of the API's stack`,
        );
      }
      const { rateLimit, burstLimit } = this.#publicMail;
      // API Gateway refuses a stage whose RouteSettings name a route that does not exist yet
      // ("Unable to find Route by key"): the stage waits for the route.
      this.#stage.addResourceDependency(created.node.defaultChild as CfnResource);
      // A JSON map in CloudFormation's own spelling: the L1 property is not converted.
      const settings = (this.#stage.routeSettings ?? {}) as Record<string, unknown>;
      this.#stage.routeSettings = {
        ...settings,
        [`${route.method} ${route.path}`]: {
          ThrottlingRateLimit: rateLimit,
          ThrottlingBurstLimit: burstLimit,
        },
      };
    }
    if (route.public) {
      Validations.of(created).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by design (declared with public: true).`,
      });
    }
  }
}

export { HttpMethod };
