import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import { DocumentsBucket } from '../constructs/documents-bucket.ts';
import { Identity } from '../constructs/identity.ts';
import { Mailer } from '../constructs/mailer.ts';
import { ManagerTable } from '../constructs/table.ts';

export interface ManagerStackProps extends StackProps {
  stage: StageConfig;
}

/**
 * What the stage keeps: the table, the documents, the user pool with its logins, the mail
 * identity and the key that signs page cursors. Nothing here changes when a route or a
 * workflow does, so the stacks that change every day never touch the data (docs/decisions.md).
 */
export class DataStack extends Stack {
  public readonly table: ManagerTable;
  public readonly documents: DocumentsBucket;
  public readonly mailer: Mailer;
  public readonly identity: Identity;
  public readonly cursorKey: Secret;

  constructor(scope: Construct, id: string, props: ManagerStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.table = new ManagerTable(this, 'Data', { stage });
    this.documents = new DocumentsBucket(this, 'Documents', { stage });
    this.mailer = new Mailer(this, 'Mail', { stage });
    this.identity = new Identity(this, 'Identity', { stage, mailer: this.mailer });

    // Signs the page cursors the API hands out, so that a cursor cannot be forged (issue 13).
    this.cursorKey = new Secret(this, 'CursorKey', {
      description: 'Signs the API page cursors (HMAC-SHA256).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'Rotating the key only invalidates the page cursors in flight (a client reads the list again); ' +
        'it can be replaced by a deployment, no rotation function needed.',
    });
  }
}
