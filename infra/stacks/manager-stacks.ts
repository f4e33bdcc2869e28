import type { Stack, StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import { ApiStack, RoutesStack } from './api-stacks.ts';
import { DataStack } from './data-stack.ts';
import { OperationsStack } from './operations-stack.ts';
import { ROUTE_STACKS, ROUTES, type RouteSpec, routeStackOf } from './routes.ts';
import { WorkflowsStack } from './workflows-stack.ts';

export type RouteStackName = keyof typeof ROUTE_STACKS;

/** The stacks of one stage, in the order they deploy (each refers only to those before it). */
export interface ManagerStacks {
  data: DataStack;
  workflows: WorkflowsStack;
  api: ApiStack;
  routes: Record<RouteStackName, RoutesStack>;
  operations: OperationsStack;
  all: Stack[];
}

/**
 * The whole Manager backend for one stage, as stacks named `Manager-<stage>-<part>`: Data
 * (table, documents, user pool, mail identity), Workflows, Api (the HTTP API and its stage),
 * one stack of routes per group of features, and Operations (alarms, notices, dashboard).
 * The local stack (infra/local) synthesizes these very stacks and runs them as one template.
 */
export function createManagerStacks(
  scope: Construct,
  stage: StageConfig,
  props: Omit<StackProps, 'description'> = {},
): ManagerStacks {
  const common = (part: string) => ({
    ...props,
    stage,
    description: `Manager backend (${stage.name}): ${part}`,
  });
  const id = (part: string) => `Manager-${stage.name}-${part}`;
  const byStack = new Map<string, RouteSpec[]>();
  for (const spec of ROUTES) {
    const name = routeStackOf(spec);
    byStack.set(name, [...(byStack.get(name) ?? []), spec]);
  }

  const data = new DataStack(scope, id('Data'), common('table, documents, logins, mail identity'));
  const workflows = new WorkflowsStack(scope, id('Workflows'), { ...common('workflows'), data });
  const api = new ApiStack(scope, id('Api'), {
    ...common('HTTP API'),
    data,
    workflows,
    routes: byStack.get('Api') ?? [],
  });
  const routes = Object.fromEntries(
    Object.keys(ROUTE_STACKS).map((name) => [
      name,
      new RoutesStack(scope, id(`Api${name}`), {
        ...common(`${name.toLowerCase()} routes`),
        data,
        workflows,
        api: api.api,
        routes: byStack.get(name) ?? [],
      }),
    ]),
  ) as Record<RouteStackName, RoutesStack>;
  const operations = new OperationsStack(scope, id('Operations'), {
    ...common('alarms and notices'),
    data,
    workflows,
    api,
  });
  return {
    data,
    workflows,
    api,
    routes,
    operations,
    all: [data, workflows, api, ...Object.values(routes), operations],
  };
}
