/**
 * Identity-based policy evaluation for the local stack: every AWS call a local function or
 * state machine makes is allowed only if a statement of its role's policies allows it, as IAM
 * decides in AWS (no matching Allow = implicit deny).
 *
 * It implements exactly what the synthesized policies use: `Allow` statements with `Action` and
 * `Resource`, with `*` and `?` wildcards. Anything else (Deny, NotAction, NotResource, Condition,
 * Principal) would need the rest of IAM's evaluation logic, so a policy using it is refused when
 * the local stack starts rather than evaluated wrongly (docs/decisions.md).
 */

export interface PolicyStatement {
  Effect: string;
  Action?: string | string[];
  Resource?: string | string[];
  [other: string]: unknown;
}

const SUPPORTED = new Set(['Effect', 'Action', 'Resource', 'Sid']);

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `*` any run of characters, `?` one character; everything else literal. */
function wildcard(pattern: string, flags = ''): RegExp {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, flags);
}

/**
 * An ARN pattern matches segment by segment (partition, service, region, account): a wildcard
 * there does not cross a colon. The resource part may hold colons and slashes, which `*` spans.
 */
function arnMatcher(pattern: string): (arn: string) => boolean {
  if (pattern === '*') return () => true;
  const parts = splitArn(pattern);
  if (!parts) throw new Error(`Not an ARN in a policy: ${pattern}`);
  const matchers = parts.map((p) => wildcard(p));
  return (arn) => {
    const actual = splitArn(arn);
    return actual !== undefined && matchers.every((m, i) => m.test(actual[i] ?? ''));
  };
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(1, 5), parts.slice(5).join(':')];
}

export interface Decision {
  allowed: boolean;
  action: string;
  resource: string;
}

/** The policies of one role, compiled once. */
export class RolePolicy {
  readonly roleId: string;
  readonly #rules: { actions: RegExp[]; resources: ((arn: string) => boolean)[] }[];

  constructor(roleId: string, statements: PolicyStatement[]) {
    this.roleId = roleId;
    this.#rules = statements.map((statement, i) => {
      const unsupported = Object.keys(statement).filter((k) => !SUPPORTED.has(k));
      if (statement.Effect !== 'Allow' || unsupported.length > 0) {
        throw new Error(
          `Role ${roleId}, statement ${i}: the local IAM check implements Allow with Action and ` +
            `Resource only, not ${statement.Effect !== 'Allow' ? statement.Effect : unsupported.join(', ')}`,
        );
      }
      return {
        // Action names are case-insensitive in IAM; resources are not.
        actions: asList(statement.Action).map((a) => wildcard(a, 'i')),
        resources: asList(statement.Resource).map(arnMatcher),
      };
    });
  }

  allows(action: string, resource: string): boolean {
    return this.#rules.some(
      (rule) => rule.actions.some((a) => a.test(action)) && rule.resources.some((r) => r(resource)),
    );
  }

  /** The first of the requested (action, resource) pairs no statement allows, if any. */
  firstDenied(requests: { action: string; resource: string }[]): Decision | undefined {
    const denied = requests.find((r) => !this.allows(r.action, r.resource));
    return denied ? { allowed: false, ...denied } : undefined;
  }
}

/** The message AWS gives an identity-based implicit deny. */
export function accessDeniedMessage(principalArn: string, decision: Decision): string {
  return (
    `User: ${principalArn} is not authorized to perform: ${decision.action} on resource: ` +
    `${decision.resource} because no identity-based policy allows the ${decision.action} action`
  );
}
