import { Duration, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api, type HttpMethod } from '../constructs/api.ts';
import { ManagerFunction } from '../constructs/manager-function.ts';
import type { DataStack, ManagerStackProps } from './data-stack.ts';
import type { RouteSpec } from './routes.ts';
import type { WorkflowsStack } from './workflows-stack.ts';

export interface RoutesProps extends ManagerStackProps {
  data: DataStack;
  workflows: WorkflowsStack;
  /** The routes this stack holds (routes.ts: `routeStackOf`). */
  routes: RouteSpec[];
}

export interface ApiStackProps extends RoutesProps {}

/**
 * Each route's function, granted what its spec says and nothing else (least privilege per
 * route, docs/decisions.md), and its route on the HTTP API, as resources of `scope`'s stack.
 */
function addRoutes(scope: Construct, api: Api, props: RoutesProps): void {
  const { stage, data, workflows } = props;
  const table = data.table.table;
  for (const spec of props.routes) {
    const [method, path] = spec.route.split(' ') as [HttpMethod, string];
    const handler = new ManagerFunction(scope, spec.id, {
      stage,
      entry: spec.entry,
      // pdfkit reads its font files next to its module: installed, not bundled.
      ...(spec.pdf ? { nodeModules: ['pdfkit'], memorySize: 1536, timeout: Duration.seconds(20) } : {}),
    });
    if (spec.table) handler.bindTable(table, spec.table === 'write' ? 'readWrite' : 'read');
    if (spec.mail) handler.bindMailer(data.mailer);
    if (spec.pages) handler.bindCursorKey(data.cursorKey);
    if (spec.userPool) handler.bindUserPool(data.identity.userPool, spec.userPool);
    // The workflows a route starts or calls back, each under its own variable.
    const bindings = [
      ['INVITATION_WORKFLOW_ARN', workflows.invitation, spec.invitations],
      ['PASSWORD_RESET_WORKFLOW_ARN', workflows.passwordReset, spec.passwordResets],
      ['ACCOUNT_DELETION_WORKFLOW_ARN', workflows.accountDeletion, spec.deletions],
    ] as const;
    for (const [variable, workflow, access] of bindings) {
      if (access) handler.bindWorkflow(variable, workflow.stateMachine, access);
    }
    if (spec.publicMail) {
      handler.bindLimit('RESETS_PER_CLIENT_PER_MINUTE', stage.publicMail.resetsPerClientPerMinute);
    }
    if (spec.documents) {
      const [access, prefixes, options] = spec.documents;
      handler.bindBucket(data.documents.bucket, access, prefixes, options);
    }
    api.addRoute(scope, {
      method,
      path,
      function: handler,
      public: spec.public ?? false,
      sendsMailPublicly: spec.publicMail ?? false,
    });
  }
}

/**
 * The HTTP API: its JWT authorizer, its stage with access logs and throttles, and the routes
 * the stage throttles on their own (a stage's RouteSettings may only name routes of its stack).
 */
export class ApiStack extends Stack {
  public readonly api: Api;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.api = new Api(this, 'Api', { stage: props.stage, identity: props.data.identity });
    addRoutes(this, this.api, props);
  }
}

/** The routes of a group of features (routes.ts: `ROUTE_STACKS`) on the API of the ApiStack. */
export class RoutesStack extends Stack {
  constructor(scope: Construct, id: string, props: RoutesProps & { api: Api }) {
    super(scope, id, props);
    addRoutes(this, props.api, props);
  }
}
