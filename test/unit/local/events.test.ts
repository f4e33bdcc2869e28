import { describe, expect, it } from 'vitest';
import { matchesPattern, noticesOf, renderInput } from '../../../infra/local/events.ts';

/** The EventBridge pattern subset the local stack runs (infra/local/events.ts). */
const pattern = {
  source: ['aws.states'],
  'detail-type': ['Step Functions Execution Status Change'],
  detail: {
    stateMachineArn: ['arn:sm:a', 'arn:sm:b'],
    $or: [
      { status: ['FAILED', 'TIMED_OUT'] },
      { status: ['ABORTED'], error: [{ 'anything-but': ['Revoked'] }] },
    ],
  },
};
const event = (detail: Record<string, unknown>) => ({
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: { stateMachineArn: 'arn:sm:a', executionArn: 'arn:ex:1', error: null, ...detail },
});

describe('local EventBridge patterns', () => {
  it.each([
    [{ status: 'FAILED' }, true],
    [{ status: 'TIMED_OUT' }, true],
    [{ status: 'SUCCEEDED' }, false],
    [{ status: 'ABORTED', error: null }, true],
    [{ status: 'ABORTED', error: 'Stopped.ByHand' }, true],
    [{ status: 'ABORTED', error: 'Revoked' }, false],
    [{ status: 'FAILED', stateMachineArn: 'arn:sm:other' }, false],
  ])('%j matches: %s', (detail, expected) => {
    expect(matchesPattern(pattern, event(detail))).toBe(expected);
  });

  it('needs every field of the pattern, the source included', () => {
    expect(matchesPattern(pattern, { ...event({ status: 'FAILED' }), source: 'aws.lambda' })).toBe(false);
    expect(matchesPattern(pattern, { source: 'aws.states' })).toBe(false);
  });

  it('renders a text input from the input transformer’s paths, as EventBridge does', () => {
    const target = {
      arn: 'topic',
      inputTemplate: '"<status>: <arn> (<error>)"',
      inputPathsMap: { status: '$.detail.status', arn: '$.detail.executionArn', error: '$.detail.error' },
    };

    expect(renderInput(target, event({ status: 'FAILED' }))).toBe('FAILED: arn:ex:1 (null)');
    expect(
      noticesOf([{ logicalId: 'Rule', pattern, targets: [target] }], event({ status: 'TIMED_OUT' })),
    ).toMatchObject([{ rule: 'Rule', target: 'topic', status: 'TIMED_OUT', executionArn: 'arn:ex:1' }]);
  });
});
