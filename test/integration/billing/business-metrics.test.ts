import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addMember,
  api,
  bankPayment,
  control,
  eventually,
  firstOrderBody,
  newLogin,
  newStaff,
  order,
  type PlacedOrder,
} from '../helpers.ts';

/**
 * Issue 15: the business events are CloudWatch metrics, written as EMF log lines by the function
 * that commits them. The local stack makes of those lines what CloudWatch makes of them.
 */
interface Metric {
  namespace: string;
  name: string;
  values: number[];
  dimensions: Record<string, string>;
  properties: Record<string, unknown>;
}

/** The counts of `name` that concern one account. */
async function countsOf(name: string, organizationId: string): Promise<number[]> {
  const { metrics } = (await control('GET', `/metrics?name=${name}`)) as { metrics: Metric[] };
  return metrics.filter((m) => m.properties.organizationId === organizationId).flatMap((m) => m.values);
}

describe('business metrics', () => {
  it('counts an order once, however often it is retried, and an invoice paid by the bank', async () => {
    const login = await newLogin('metrics');
    const key = randomUUID();
    const body = firstOrderBody([{ type: 'domain', name: 'counted.ch', periodMonths: 12 }]);
    const placed = await order(login.idToken, body, key);
    const replayed = await order(login.idToken, body, key);
    const { organizationId, invoice } = placed.body as PlacedOrder;

    expect(replayed.status).toBe(201);
    const orders = await eventually(async () => {
      const counts = await countsOf('OrdersPlaced', organizationId);
      return counts.length ? counts : undefined;
    });
    expect(orders).toEqual([1]);
    // Placed by bank transfer: not paid yet.
    expect(await countsOf('InvoicesPaid', organizationId)).toEqual([]);

    const paid = await bankPayment(await newStaff(), invoice.paymentReference, invoice.total);

    expect(paid.status).toBe(200);
    const line = await eventually(async () => {
      const { metrics } = (await control('GET', '/metrics?name=InvoicesPaid')) as { metrics: Metric[] };
      return metrics.find((m) => m.properties.organizationId === organizationId);
    });
    expect(line).toMatchObject({ namespace: 'Manager', values: [1], dimensions: { service: 'manager' } });
  });

  it('counts an order paid as it is placed (prepaid, here made free by a code) as an invoice paid', async () => {
    const staff = await newStaff();
    const code = `FREE${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await api('POST', '/v1/staff/promo-codes', {
      token: staff.idToken,
      json: {
        code,
        percentOff: 10_000,
        validFrom: '2020-01-01T00:00:00Z',
        validUntil: '2099-01-01T00:00:00Z',
        productTypes: ['domain'],
        maxRedemptions: 1,
      },
    });
    expect(created.status).toBe(201);
    const login = await newLogin('metrics-prepaid');

    const placed = await order(login.idToken, {
      ...firstOrderBody([{ type: 'domain', name: 'free-counted.ch', periodMonths: 12 }]),
      paymentMethod: 'prepaid',
      promoCode: code,
    });

    expect(placed).toMatchObject({ status: 201, body: { invoice: { status: 'paid' } } });
    const { organizationId } = placed.body as PlacedOrder;
    const paid = await eventually(async () => {
      const counts = await countsOf('InvoicesPaid', organizationId);
      return counts.length ? counts : undefined;
    });
    expect(paid).toEqual([1]);
  });

  it('counts an accepted invitation for the account it joins', async () => {
    const owner = await newLogin('owner');
    const placed = await order(
      owner.idToken,
      firstOrderBody([{ type: 'domain', name: 'team-counted.ch', periodMonths: 12 }]),
    );
    const { organizationId } = placed.body as PlacedOrder;

    await addMember(owner, organizationId);

    const accepted = await eventually(async () => {
      const counts = await countsOf('InvitationsAccepted', organizationId);
      return counts.length ? counts : undefined;
    });
    expect(accepted).toEqual([1]);
  });
});
