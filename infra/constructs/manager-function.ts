import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Arn, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type AddToPrincipalPolicyResult,
  PolicyStatement,
  Role,
  type RoleProps,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import type { Mailer } from './mailer.ts';

/** Repository root: entries are given relative to it, as the local stack resolves them. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Metadata keys on each AWS::Lambda::Function: the local stack reads them from the synthesized
 * template to load the very same handler module in-process.
 */
export const ENTRY_METADATA = 'manager:entry';
export const HANDLER_METADATA = 'manager:handler';
export const NODE_MODULES_METADATA = 'manager:nodeModules';

/** The CloudWatch namespace of the business metrics; the `service` dimension is `manager`. */
export const METRICS_NAMESPACE = 'Manager';

/**
 * Node's built-in modules that the bundles use, each reached through a one-line CommonJS module
 * (node-builtins/, `process.getBuiltinModule`) instead of an `import`. Node builds an ES module
 * facade for a built-in that is imported, and building it reads every export, lazy ones too:
 * `node:http`'s facade alone loads undici for `http.WebSocket`. Those facades were about 50 ms
 * of CPU in every cold start, the bare SDK handler's as well (issue 16, docs/decisions.md).
 * The list is the folder's files (`fs-promises.cjs` stands for `fs/promises`). A built-in left
 * out of it still works through an `import`; the local build refuses it
 * (infra/local/bundle.ts), so that its file is added there.
 */
export const NODE_BUILTINS: readonly string[] = readdirSync(
  fileURLToPath(new URL('node-builtins/', import.meta.url)),
)
  .filter((file) => file.endsWith('.cjs'))
  .map((file) => file.slice(0, -'.cjs'.length).replace('-', '/'))
  .sort();

/** esbuild's `alias`: `http` and `node:http` alike to node-builtins/http.cjs, relative to the root. */
const builtinAliases = Object.fromEntries(
  NODE_BUILTINS.flatMap((name) => {
    const shim = `./infra/constructs/node-builtins/${name.replace('/', '-')}.cjs`;
    return [
      [name, shim],
      [`node:${name}`, shim],
    ];
  }),
);

/**
 * How every function is bundled (esbuild): for Lambda by CDK, and for the local stack, which
 * builds the same sources with the same options (infra/local/bundle.ts).
 */
export const BUNDLING = {
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  // The documents' font files, as bytes inside the bundle (functions/core/documents/fonts.ts).
  loader: { '.woff': 'binary' },
  alias: builtinAliases,
} as const;

export interface ManagerFunctionProps {
  stage: StageConfig;
  /** Source file relative to the repository root, e.g. `functions/me/get.ts`. */
  entry: string;
  /** Exported handler name. */
  handler?: string;
  description?: string;
  memorySize?: number;
  timeout?: Duration;
  /**
   * Packages installed beside the bundle instead of bundled. pdfkit reads its font files
   * from disk relative to its own module, which a bundle breaks.
   */
  nodeModules?: string[];
}

/**
 * A function's role. Every grant reaches it through `addToPrincipalPolicy` (ours and CDK's
 * `grant…` helpers alike), which is where a test-only stage setting may withhold an action.
 */
class FunctionRole extends Role {
  readonly #withheld: string[];

  constructor(scope: Construct, id: string, props: RoleProps & { withheld: string[] }) {
    const { withheld, ...roleProps } = props;
    super(scope, id, roleProps);
    this.#withheld = withheld;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    if (!this.#withheld.length) return super.addToPrincipalPolicy(statement);
    const actions = statement.actions.filter((a) => !this.#withheld.includes(a));
    if (!actions.length) return { statementAdded: false };
    return super.addToPrincipalPolicy(statement.copy({ actions }));
  }
}

/**
 * The one way to declare a Lambda function: Node 24 on arm64, ESM bundle with source maps,
 * X-Ray tracing, its own log group with the stage's retention, and a role that starts empty.
 * Resources are bound with `bind…` methods that set the env var and grant access in one call.
 */
export class ManagerFunction extends Construct {
  public readonly fn: NodejsFunction;
  public readonly entry: string;
  /** Packages installed beside the bundle (see the prop). */
  public readonly nodeModules: string[];
  readonly #withheld: string[];

  constructor(scope: Construct, id: string, props: ManagerFunctionProps) {
    super(scope, id);
    const { stage } = props;
    this.entry = props.entry;
    this.nodeModules = props.nodeModules ?? [];
    this.#withheld = stage.testOnly?.withhold[id] ?? [];
    const logGroup = new LogGroup(this, 'Logs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    // A role of our own instead of the AWSLambdaBasicExecutionRole managed policy: it may
    // write to its own log group and nothing else until a binder grants more.
    const role = new FunctionRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      withheld: this.#withheld,
    });
    logGroup.grantWrite(role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: props.handler ?? 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'manager',
        // Business metrics (functions/core/metrics.ts), written as EMF log lines.
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: stage.logLevel,
        STAGE: stage.name,
        CONSOLE_URL: stage.consoleOrigin,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        // A map beside each bundle, to read a stack trace's minified positions back to the
        // sources (docs/operations.md); Lambda never loads it (no --enable-source-maps: issue 16).
        sourceMap: true,
        sourcesContent: false,
        mainFields: [...BUNDLING.mainFields],
        // The SDK is bundled at the version the lockfile pins rather than taken from the
        // runtime, so local runs, tests and Lambda execute the same code.
        externalModules: [],
        nodeModules: props.nodeModules,
        banner: BUNDLING.banner,
        loader: { ...BUNDLING.loader },
        // Resolved from the project root, which CDK runs esbuild in.
        esbuildArgs: { '--alias': Object.entries(BUNDLING.alias).map(([from, to]) => `${from}=${to}`) },
      },
    });
    const cfn = this.fn.node.defaultChild as CfnFunction;
    cfn.addMetadata(ENTRY_METADATA, props.entry);
    cfn.addMetadata(HANDLER_METADATA, props.handler ?? 'handler');
    if (this.nodeModules.length) cfn.addMetadata(NODE_MODULES_METADATA, this.nodeModules);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /** Sets an environment variable (unless a test-only stage setting withholds it). */
  #env(name: string, value: string): void {
    if (!this.#withheld.includes(name)) this.fn.addEnvironment(name, value);
  }

  /**
   * TABLE_NAME + the item actions the access patterns use, on the table and its indexes. No
   * Scan (R26: nothing in the system scans), no streams.
   */
  bindTable(table: ITable, access: 'read' | 'readWrite' | 'readWriteBatch'): this {
    this.#env('TABLE_NAME', table.tableName);
    // What the code calls, nothing more (no Scan: no access pattern scans, R26); transactions
    // need the actions of the items they hold. Batch writes only where deletion removes in bulk.
    const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
    // A transaction's ConditionCheck needs its own action (the default address's copy uses it).
    const write = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
    ];
    const actions =
      access === 'read'
        ? read
        : access === 'readWrite'
          ? [...read, ...write]
          : [...read, ...write, 'dynamodb:BatchWriteItem'];
    const indexes = `${table.tableArn}/index/*`;
    this.fn.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn, indexes] }));
    this.#acknowledgeWildcard(
      indexes,
      'Access patterns query the table’s own global secondary indexes (docs/data-model.md).',
    );
    return this;
  }

  /**
   * BUCKET_NAME + object access below the given key prefixes only (`logos/`), never the whole
   * bucket: explicit actions, no wildcards but the key pattern. `list`: also s3:ListBucket, for
   * a function that must tell a missing object (404) from a forbidden one — without it S3
   * answers 403 for both.
   */
  bindBucket(
    bucket: IBucket,
    access: 'read' | 'readWrite',
    prefixes: string[],
    options: { list?: boolean } = {},
  ): this {
    this.#env('BUCKET_NAME', bucket.bucketName);
    if (options.list) {
      this.fn.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
    const actions =
      access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
    const objects = prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    this.fn.addToRolePolicy(new PolicyStatement({ actions, resources: objects }));
    objects.forEach((arn, i) => {
      this.#acknowledgeWildcard(arn, `Objects below ${prefixes[i]} only; their keys are made at run time.`);
    });
    return this;
  }

  /** MAIL_FROM + permission to send through the stage's SES identity. */
  bindMailer(mailer: Mailer): this {
    this.#env('MAIL_FROM', mailer.from);
    this.#env('MAIL_CONFIGURATION_SET', mailer.configurationSet.configurationSetName);
    mailer.grantSend(this.fn);
    return this;
  }

  /** CURSOR_KEY_ARN + reading the secret that signs page cursors (functions/core/cursor.ts). */
  bindCursorKey(secret: ISecret): this {
    this.#env('CURSOR_KEY_ARN', secret.secretArn);
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    return this;
  }

  /** USER_POOL_ID + the admin actions the function calls (R2: look a login up, set its new password). */
  bindUserPool(userPool: IUserPool, actions: string[]): this {
    this.#env('USER_POOL_ID', userPool.userPoolId);
    if (actions.length) userPool.grant(this.fn, ...actions);
    return this;
  }

  /** A limit of the stage's config (no grant): the function reads it from `name`. */
  bindLimit(name: string, value: number): this {
    this.#env(name, String(value));
    return this;
  }

  /** `<envName>` = the state machine ARN + start, or task-token callbacks and stop. */
  bindWorkflow(envName: string, stateMachine: IStateMachine, access: 'start' | 'callback'): this {
    this.#env(envName, stateMachine.stateMachineArn);
    if (access === 'start') stateMachine.grantStartExecution(this.fn);
    else {
      stateMachine.grantTaskResponse(this.fn);
      // Its executions, as `grantExecution` names them: arn:…:execution:<state machine name>:*
      const executions = `${Stack.of(stateMachine).formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })}:*`;
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:StopExecution', 'states:DescribeExecution'],
          resources: [executions],
        }),
      );
      this.#acknowledgeWildcard(
        executions,
        'Executions of this one state machine only: their names are only known at run time.',
      );
    }
    return this;
  }

  /**
   * Acknowledges cdk-nag's wildcard finding (AwsSolutions-IAM5) for one resource this function
   * was granted, with the reason. The finding names the resource as the function's own stack
   * writes it — a `Fn::GetStackOutput` when the resource is another stack's — which is only known
   * once CDK has resolved the references across stacks: so it is named then, at validation,
   * before cdk-nag runs.
   */
  #acknowledgeWildcard(resource: string, reason: string): void {
    this.node.addValidation({
      validate: () => {
        const shown = flattenCfnReference(Stack.of(this).resolve(resource));
        Validations.of(this).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::${shown}]`,
          reason,
        });
        return [];
      },
    });
  }
}
