/**
 * The EventBridge rules of the template that watch Step Functions executions (issue 15), run
 * locally: when a local execution ends, the event AWS would send is matched against each rule's
 * pattern (the subset of EventBridge's pattern language the stack uses: values, `anything-but`,
 * `$or`, nested objects) and each target's input is rendered from its InputTransformer. What
 * would be published to the ops topic is kept as a notice (the control endpoint's
 * `GET /ops/notices`) and printed, so that a failing workflow is visible in `npm start`.
 */

export interface LocalEventRule {
  logicalId: string;
  pattern: Record<string, unknown>;
  targets: { arn: string; inputTemplate?: string; inputPathsMap?: Record<string, string> }[];
}

export interface OpsNotice {
  rule: string;
  /** The target's ARN as the template resolves it (the ops topic). */
  target: string;
  message: string;
  executionArn: string;
  status: string;
  at: string;
}

type Json = Record<string, unknown>;

function matchesValue(allowed: unknown[], value: unknown): boolean {
  return allowed.some((option) => {
    if (option !== null && typeof option === 'object' && 'anything-but' in option) {
      const excluded = [(option as { 'anything-but': unknown })['anything-but']].flat();
      return !excluded.includes(value);
    }
    return option === value;
  });
}

/** Whether `event` matches an EventBridge event pattern (the subset named above). */
export function matchesPattern(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as Json[]).some((branch) => matchesPattern(branch, event));
    const value = event[key];
    if (Array.isArray(expected)) return matchesValue(expected, value ?? null);
    if (expected !== null && typeof expected === 'object') {
      return value !== null && typeof value === 'object' && matchesPattern(expected as Json, value as Json);
    }
    return false;
  });
}

const atPath = (event: Json, path: string): unknown =>
  path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], event);

/** A target's input as EventBridge renders an InputTransformer (or the whole event without one). */
export function renderInput(target: LocalEventRule['targets'][number], event: Json): string {
  if (!target.inputTemplate) return JSON.stringify(event);
  let text = target.inputTemplate;
  for (const [name, path] of Object.entries(target.inputPathsMap ?? {})) {
    const value = atPath(event, path);
    text = text.replaceAll(`<${name}>`, value === undefined || value === null ? 'null' : String(value));
  }
  // A text input is a JSON string in the template.
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'string' ? parsed : text;
  } catch {
    return text;
  }
}

/** The event Step Functions sends when an execution's status changes. */
export function executionStatusEvent(execution: {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  error?: string | undefined;
  cause?: string | undefined;
  startDate: Date;
  stopDate?: Date | undefined;
}): Json {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: execution.stopDate?.getTime() ?? null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}

/** The notices the rules make of one event. */
export function noticesOf(rules: LocalEventRule[], event: Json): OpsNotice[] {
  const detail = event.detail as Json;
  return rules
    .filter((rule) => matchesPattern(rule.pattern, event))
    .flatMap((rule) =>
      rule.targets.map((target) => ({
        rule: rule.logicalId,
        target: target.arn,
        message: renderInput(target, event),
        executionArn: String(detail.executionArn),
        status: String(detail.status),
        at: new Date().toISOString(),
      })),
    );
}
