import { describe, expect, it } from 'vitest';
import { type CfnTemplate, mergeTemplates } from '../../../infra/local/template.ts';

/** A producing stack as CDK writes it: an output, published for weak references and exported. */
const data = {
  stackName: 'Manager-dev-Data',
  template: {
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: {} },
    },
    Outputs: {
      PublishOutputFnGetAttTableArn: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] } },
      ExportsOutputRefTable: {
        Value: { Ref: 'Table' },
        Export: { Name: 'Manager-dev-Data:ExportsOutputRefTable' },
      },
    },
  } satisfies CfnTemplate,
};
/** A consuming stack: one weak reference (Fn::GetStackOutput), one import. */
const routes = {
  stackName: 'Manager-dev-ApiTeam',
  template: {
    Resources: {
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Resource: {
            'Fn::Join': [
              '',
              [
                {
                  'Fn::GetStackOutput': {
                    StackName: 'Manager-dev-Data',
                    Region: 'eu-central-2',
                    OutputName: 'PublishOutputFnGetAttTableArn',
                  },
                },
                '/index/*',
              ],
            ],
          },
          Table: { 'Fn::ImportValue': 'Manager-dev-Data:ExportsOutputRefTable' },
        },
      },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: {} },
    },
  } satisfies CfnTemplate,
};

describe('the stage’s stacks as one local template', () => {
  it('replaces a reference across stacks by what the producing stack’s output names', () => {
    const merged = mergeTemplates([data, routes]);

    expect(Object.keys(merged.Resources).sort()).toEqual(['Policy', 'Table']);
    expect(merged.Resources.Policy?.Properties).toEqual({
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/*']] },
      Table: { Ref: 'Table' },
    });
  });

  it('refuses a stack that reads another’s output without depending on it (it could deploy first)', () => {
    expect(() => mergeTemplates([data, { ...routes, dependsOn: [] }])).toThrow(
      /Manager-dev-ApiTeam reads the output PublishOutputFnGetAttTableArn of Manager-dev-Data without depending on it/,
    );
    expect(() => mergeTemplates([data, { ...routes, dependsOn: ['Manager-dev-Data'] }])).not.toThrow();
  });

  it('refuses a reference to an output no stack has, and two stacks holding one logical id', () => {
    expect(() => mergeTemplates([routes])).toThrow(
      /Fn::GetStackOutput Manager-dev-Data\/PublishOutputFnGetAttTableArn: no stack has that output/,
    );
    const importOnly = structuredClone(routes);
    delete (importOnly.template.Resources.Policy.Properties as { Resource?: unknown }).Resource;
    expect(() => mergeTemplates([importOnly])).toThrow(/Fn::ImportValue .*: no stack exports it/);
    expect(() =>
      mergeTemplates([
        data,
        { stackName: 'Other', template: { Resources: { Table: { Type: 'AWS::S3::Bucket' } } } },
      ]),
    ).toThrow(/Two stacks hold a resource named Table/);
  });
});
