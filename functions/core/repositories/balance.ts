import { type LedgerEntry, ledgerItem } from '../entities/invoice.ts';
import { organizationKeys } from '../entities/organization.ts';
import { TABLE_NAME, type TransactItem } from './table.ts';

/**
 * R18: the prepaid balance moves from the value it was read at to `entry.balanceAfter`, with its
 * ledger entry, in one transaction — or not at all, when it moved meanwhile. So every ledger
 * entry's `balanceAfter` is the running sum in ledger order, whatever runs at the same time, and
 * a debit checked against the balance read can never take it below zero.
 */
export function balanceMove(
  organizationId: string,
  before: number,
  entry: LedgerEntry,
  /** The balance item's label, for a caller that asks which condition failed. */
  label?: string,
) {
  return [
    {
      ...(label ? { label } : {}),
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: organizationKeys(organizationId),
          UpdateExpression: 'SET prepaidBalance = :after',
          // An account made before the balance existed has no attribute: read as zero.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(prepaidBalance) OR prepaidBalance = :before)',
          ExpressionAttributeValues: { ':before': before, ':after': entry.balanceAfter },
        },
      } satisfies TransactItem,
    },
    ledgerPut(organizationId, entry),
  ];
}

/** A ledger entry written in a transaction. */
export function ledgerPut(organizationId: string, entry: LedgerEntry) {
  return {
    item: {
      Put: { TableName: TABLE_NAME, Item: ledgerItem(organizationId).toItem(entry) },
    } satisfies TransactItem,
  };
}
