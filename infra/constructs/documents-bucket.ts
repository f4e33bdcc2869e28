import { Duration, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';

/** Key prefixes of the documents bucket; lifecycle rules and grants refer to them. */
export const DOCUMENT_PREFIXES = {
  proForma: 'pro-forma/',
  invoices: 'invoices/',
  logos: 'logos/',
  uploads: 'uploads/',
  /** Invoices of deleted accounts, kept for the legal retention period (R28). */
  archive: 'archive/',
} as const;

export interface DocumentsBucketProps {
  stage: StageConfig;
}

/**
 * Private bucket for PDFs (pro-forma, invoices) and organization logos. Nothing is public:
 * every object is handed out through a short-lived presigned URL (R6, R22).
 */
export class DocumentsBucket extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps) {
    super(scope, id);
    const { stage } = props;
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: stage.removalPolicy,
      // Outside prod, `cdk destroy` empties the bucket first (CloudFormation cannot delete a
      // bucket with objects in it).
      autoDeleteObjects: !stage.protectData,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: stage.protectData,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: !stage.protectData,
      // Browsers upload logos straight to S3 with a presigned PUT (R6).
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: [stage.consoleOrigin],
          allowedHeaders: ['content-type', 'content-length'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        // Pro-formas are re-rendered on demand; old ones are clutter (R22).
        { prefix: DOCUMENT_PREFIXES.proForma, expiration: Duration.days(stage.proFormaRetentionDays) },
        // Ten years (Swiss retention of accounting records) and a margin, then gone (R28).
        { prefix: DOCUMENT_PREFIXES.archive, expiration: Duration.days(3660) },
        // An upload not accepted within a day was abandoned (R6).
        { prefix: DOCUMENT_PREFIXES.uploads, expiration: Duration.days(1) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...(stage.protectData ? [{ noncurrentVersionExpiration: Duration.days(30) }] : []),
      ],
    });
  }
}
