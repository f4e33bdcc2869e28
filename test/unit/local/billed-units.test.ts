import { describe, expect, it } from 'vitest';
import { billedUnits, itemsRead } from '../../../infra/local/aws-gateway.ts';

const call = (operation: string, request: unknown, response: unknown, status = 200) => ({
  service: 'dynamodb',
  operation,
  status,
  request: request as Record<string, unknown>,
  response: response as Record<string, unknown>,
});

describe('billedUnits: what DynamoDB on demand bills a call', () => {
  it('takes DynamoDB Local’s consumed capacity, indexes included, as read or write units', () => {
    expect(billedUnits(call('GetItem', {}, { ConsumedCapacity: { CapacityUnits: 0.5 } }))).toEqual({
      read: 0.5,
      write: 0,
    });
    expect(
      billedUnits(
        call('UpdateItem', {}, { ConsumedCapacity: { CapacityUnits: 3, Table: { CapacityUnits: 1 } } }),
      ),
    ).toEqual({ read: 0, write: 3 });
  });

  it('bills a transaction twice what DynamoDB Local reports', () => {
    const items = [{ Put: {} }, { Update: {} }];
    expect(
      billedUnits(
        call('TransactWriteItems', { TransactItems: items }, { ConsumedCapacity: [{ CapacityUnits: 2 }] }),
      ),
    ).toEqual({ read: 0, write: 4 });
  });

  it('bills each BatchGetItem key that finds nothing as a GetItem miss; unprocessed keys not at all', () => {
    const request = { RequestItems: { t: { Keys: [{}, {}, {}, {}], ConsistentRead: true } } };
    const response = {
      Responses: { t: [{}] },
      UnprocessedKeys: { t: { Keys: [{}] } },
      ConsumedCapacity: [{ CapacityUnits: 1 }],
    };
    expect(billedUnits(call('BatchGetItem', request, response))).toEqual({ read: 3, write: 0 });
  });

  it('bills a refused conditional write and a cancelled transaction as the writes they would have been', () => {
    expect(billedUnits(call('PutItem', {}, {}, 400))).toEqual({ read: 0, write: 1 });
    expect(billedUnits(call('TransactWriteItems', { TransactItems: [{}, {}, {}] }, {}, 400))).toEqual({
      read: 0,
      write: 6,
    });
  });

  it('bills nothing for other services', () => {
    expect(billedUnits({ ...call('SendEmail', {}, {}), service: 'ses' })).toEqual({ read: 0, write: 0 });
  });
});

describe('itemsRead: the items a call read', () => {
  it('counts what a Query examined, the items its filter left out included; what a read returned otherwise', () => {
    expect(itemsRead(call('Query', {}, { Items: [{}], Count: 1, ScannedCount: 7 }))).toBe(7);
    expect(itemsRead(call('GetItem', {}, { Item: {} }))).toBe(1);
    expect(itemsRead(call('BatchGetItem', {}, { Responses: { t: [{}, {}] } }))).toBe(2);
    expect(itemsRead({ service: 's3', response: { Items: [{}] } })).toBe(0);
  });
});
