import { describe, expect, it } from 'vitest';
import { type CfnTemplate, mergeTemplates } from '../../../infra/local/template.ts';

/** Two stacks as CDK writes a reference across them: an export in one, an import in the other. */
const data: CfnTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: {} },
  },
  Outputs: {
    ExportsOutputFnGetAttTableArn: {
      Value: { 'Fn::GetAtt': ['Table', 'Arn'] },
      Export: { Name: 'Manager-dev-Data:ExportsOutputFnGetAttTableArn' },
    },
  },
};
const routes: CfnTemplate = {
  Resources: {
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Resource: {
          'Fn::Join': [
            '',
            [{ 'Fn::ImportValue': 'Manager-dev-Data:ExportsOutputFnGetAttTableArn' }, '/index/*'],
          ],
        },
      },
    },
    CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: {} },
  },
};

describe('the stage’s stacks as one local template', () => {
  it('replaces an import by what the exporting stack’s output names, so it resolves to that resource', () => {
    const merged = mergeTemplates([data, routes]);

    expect(Object.keys(merged.Resources).sort()).toEqual(['Policy', 'Table']);
    expect(merged.Resources.Policy?.Properties?.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/*']],
    });
  });

  it('refuses an import no stack exports, and two stacks holding one logical id, as a deploy would fail', () => {
    expect(() => mergeTemplates([routes])).toThrow(
      /Fn::ImportValue "Manager-dev-Data:ExportsOutputFnGetAttTableArn": no stack exports it/,
    );
    expect(() => mergeTemplates([data, { Resources: { Table: { Type: 'AWS::S3::Bucket' } } }])).toThrow(
      /Two stacks hold a resource named Table/,
    );
  });
});
