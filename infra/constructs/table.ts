import { CfnOutput } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';

/**
 * The one table of the system (single-table design). Key schema — the full list of entities
 * and access patterns is in docs/data-model.md:
 *
 *   pk, sk          every item; `ENTITY#id` prefixes (USER#…, ORG#…)
 *   gsi1pk, gsi1sk  GSI1: the inverse side of a relation (e.g. a user's memberships)
 *   gsi2pk, gsi2sk  GSI2: sparse, sharded term-end index of products (reminders and lifecycle, R12, R26); open invoices
 *   expiresAt       TTL (epoch seconds) for short-lived items (tokens, idempotency keys)
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    GSI1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    GSI2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  },
  ttlAttribute: 'expiresAt',
} as const;

export interface ManagerTableProps {
  stage: StageConfig;
}

export class ManagerTable extends Construct {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: ManagerTableProps) {
    super(scope, id);
    const { stage } = props;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      // PITR everywhere: it is cheap, and staging restores are how prod restores get rehearsed.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: stage.protectData,
      removalPolicy: stage.removalPolicy,
    });
    for (const [indexName, keys] of Object.entries(TABLE_KEYS.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
