import { describe, expect, it } from 'vitest';
import { accessDeniedMessage, RolePolicy } from '../../../infra/local/iam.ts';

const TABLE = 'arn:aws:dynamodb:eu-central-2:000000000000:table/data';

describe('the local IAM check', () => {
  const policy = new RolePolicy('Role', [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: [TABLE, `${TABLE}/index/*`],
    },
    { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::docs/logos/*' },
    {
      Effect: 'Allow',
      Action: 'states:StopExecution',
      Resource: 'arn:aws:states:eu-central-2:000000000000:execution:Flow:*',
    },
  ]);

  it('allows what a statement names, with wildcards, and nothing else (implicit deny)', () => {
    expect(policy.allows('dynamodb:GetItem', TABLE)).toBe(true);
    expect(policy.allows('dynamodb:Query', `${TABLE}/index/GSI1`)).toBe(true);
    expect(policy.allows('DynamoDB:getitem', TABLE)).toBe(true); // actions are case-insensitive
    expect(policy.allows('s3:GetObject', 'arn:aws:s3:::docs/logos/org/1.png')).toBe(true);
    expect(policy.allows('dynamodb:PutItem', TABLE)).toBe(false);
    expect(policy.allows('dynamodb:Scan', TABLE)).toBe(false);
    expect(policy.allows('dynamodb:GetItem', `${TABLE}-other`)).toBe(false);
    expect(policy.allows('s3:GetObject', 'arn:aws:s3:::docs/invoices/1.pdf')).toBe(false);
    expect(policy.allows('s3:PutObject', 'arn:aws:s3:::docs/logos/org/1.png')).toBe(false);
  });

  it('matches ARN segments one by one: a wildcard in the resource part spans colons, not the account', () => {
    expect(
      policy.allows('states:StopExecution', 'arn:aws:states:eu-central-2:000000000000:execution:Flow:run-1'),
    ).toBe(true);
    expect(
      policy.allows('states:StopExecution', 'arn:aws:states:eu-central-2:111111111111:execution:Flow:run-1'),
    ).toBe(false);
    expect(
      policy.allows('states:StopExecution', 'arn:aws:states:eu-central-2:000000000000:execution:Other:run-1'),
    ).toBe(false);
  });

  it('refuses to evaluate what it does not implement, rather than evaluate it wrongly', () => {
    const refused = [
      { Effect: 'Deny', Action: '*', Resource: '*' },
      { Effect: 'Allow', NotAction: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', NotResource: '*' },
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
    ];
    for (const statement of refused)
      expect(() => new RolePolicy('Role', [statement])).toThrow(/implements Allow/);
  });

  it('names the first refused request, in the words AWS uses', () => {
    const denied = policy.firstDenied([
      { action: 'dynamodb:GetItem', resource: TABLE },
      { action: 'dynamodb:PutItem', resource: TABLE },
    ]);

    expect(denied).toEqual({ allowed: false, action: 'dynamodb:PutItem', resource: TABLE });
    expect(accessDeniedMessage('arn:aws:sts::000000000000:assumed-role/Role/Fn', denied as never)).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/Role/Fn is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    );
  });
});
