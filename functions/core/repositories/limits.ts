import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { limitKeys } from '../entities/records.ts';
import { isConditionFailure, TABLE_NAME, type TransactItem } from './table.ts';

export interface Allowance {
  /** What is limited, e.g. `reset-client`. */
  name: string;
  /** Who or what it is counted for: a client address, an e-mail address, an account. */
  subject: string;
  /** The window, e.g. the minute `2026-11-26T15:04` or the day `2026-11-26`. */
  window: string;
  max: number;
  /** When the window's counter may go (TTL). */
  expiresAt: Date;
}

function allowanceParams(allowance: Allowance) {
  return {
    TableName: TABLE_NAME,
    Key: limitKeys(allowance.name, allowance.subject, allowance.window),
    UpdateExpression: 'SET #type = :type, expiresAt = :ttl ADD uses :one',
    ConditionExpression: 'attribute_not_exists(uses) OR uses < :max',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: {
      ':type': 'Limit',
      ':ttl': Math.floor(allowance.expiresAt.getTime() / 1000),
      ':one': 1,
      ':max': allowance.max,
    },
  };
}

/**
 * One use of an allowance as a conditional UpdateItem: it fails once `max` uses are counted. A
 * function, not a module constant: a mutation run switches mutants on only in code that runs
 * after the module loaded.
 */
export function allowanceUpdate(allowance: Allowance): TransactItem {
  return { Update: allowanceParams(allowance) };
}

/**
 * Access pattern: count one use against a limit — one conditional UpdateItem on
 * LIMIT#<name>#<subject> / WINDOW#<window>; false when the window's uses are spent.
 */
export async function takeAllowance(allowance: Allowance): Promise<boolean> {
  try {
    await dynamo.send(new UpdateCommand(allowanceParams(allowance)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
