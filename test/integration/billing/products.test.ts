import { describe, expect, it } from 'vitest';
import { accountOwner, addMember, api, auditLog, customer, order, type PlacedOrder } from '../helpers.ts';

const DOMAIN = { type: 'domain', name: 'example.ch', periodMonths: 12 };

async function productsOf(token: string, orgId: string) {
  const response = await api('GET', `/v1/organizations/${orgId}/products`, { token });
  return (response.body as { items: { productId: string; status: string }[] }).items;
}

describe('products (R7, R12, R14)', () => {
  it('a member with product-scoped rights sees and manages only those products', async () => {
    const { login, orgId } = await customer();
    const second = (
      await order(login.idToken, { organizationId: orgId, items: [DOMAIN], paymentMethod: 'iban' })
    ).body as PlacedOrder;
    const [own] = second.products;
    const member = await addMember(login, orgId, {
      admin: false,
      billing: false,
      products: [String(own?.productId)],
    });

    const visible = await productsOf(member.idToken, orgId);
    const all = await productsOf(login.idToken, orgId);

    expect(visible.map((p) => p.productId)).toEqual([own?.productId]);
    expect(all).toHaveLength(2);
    const other = all.find((p) => p.productId !== own?.productId);
    const forbidden = await api(
      'POST',
      `/v1/organizations/${orgId}/products/${other?.productId}/termination`,
      {
        token: member.idToken,
      },
    );
    expect(forbidden.status).toBe(404);
    expect((await productsOf(login.idToken, orgId)).every((p) => p.status === 'active')).toBe(true);
  });

  it('a member with "all products" rights, not an admin, sees every product of the account (R7)', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'domain', name: 'one.ch', periodMonths: 12 },
      { type: 'domain', name: 'two.ch', periodMonths: 12 },
    ]);
    const member = await addMember(login, orgId, { admin: false, billing: false, products: 'all' });

    const listed = await productsOf(member.idToken, orgId);

    expect(listed.map((p) => p.productId).sort()).toEqual(firstOrder.products.map((p) => p.productId).sort());
  });

  it('an admin sees every product, whatever products their grant names (R7, R8)', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'domain', name: 'one.ch', periodMonths: 12 },
      { type: 'domain', name: 'two.ch', periodMonths: 12 },
    ]);
    const [first] = firstOrder.products;
    const admin = await addMember(login, orgId, {
      admin: true,
      billing: false,
      products: [String(first?.productId)],
    });

    const listed = await productsOf(admin.idToken, orgId);

    expect(listed.map((p) => p.productId).sort()).toEqual(firstOrder.products.map((p) => p.productId).sort());
  });

  it('a product can be terminated once (R14)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const path = `/v1/organizations/${orgId}/products/${firstOrder.products[0]?.productId}/termination`;

    const first = await api('POST', path, { token: login.idToken });
    const again = await api('POST', path, { token: login.idToken });

    expect(first).toMatchObject({ status: 200, body: { status: 'terminated' } });
    expect(again).toMatchObject({ status: 409, body: { detail: 'The product is already terminated.' } });
    expect((await auditLog(login.idToken, orgId)).filter((e) => e.action.startsWith('product'))).toEqual([
      expect.objectContaining({
        action: 'product.terminated',
        actorId: login.userId,
        details: { productId: firstOrder.products[0]?.productId },
      }),
    ]);
  });
});

describe('product transfers (R13)', () => {
  it('move at once when the actor is an admin of both accounts; invoices stay with the source', async () => {
    const { login, orgId, firstOrder } = await customer();
    const target = await api('POST', '/v1/organizations', {
      token: login.idToken,
      json: { holder: { kind: 'company', businessName: 'Target SA' } },
    });
    const targetId = (target.body as { organizationId: string }).organizationId;
    const productId = String(firstOrder.products[0]?.productId);

    const moved = await api('POST', `/v1/organizations/${orgId}/product-transfers`, {
      token: login.idToken,
      json: { productIds: [productId], targetOrganizationId: targetId },
    });

    expect(moved).toMatchObject({ status: 200, body: { status: 'transferred' } });
    expect(await productsOf(login.idToken, orgId)).toEqual([]);
    expect((await productsOf(login.idToken, targetId)).map((p) => p.productId)).toEqual([productId]);
    const invoices = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken });
    expect((invoices.body as { items: unknown[] }).items).toHaveLength(1);
    // Both accounts' audit logs tell where the product went, and who moved it.
    const moves = async (id: string) =>
      (await auditLog(login.idToken, id)).filter((e) => e.action.startsWith('products.'));
    expect(await moves(orgId)).toEqual([
      expect.objectContaining({
        action: 'products.transferred-out',
        actorId: login.userId,
        details: { to: targetId, productIds: [productId] },
      }),
    ]);
    expect(await moves(targetId)).toEqual([
      expect.objectContaining({
        action: 'products.transferred-in',
        actorId: login.userId,
        details: { from: orgId, productIds: [productId] },
      }),
    ]);
  });

  it('otherwise become a request that an admin of the target accepts', async () => {
    const { login: seller, orgId, firstOrder } = await customer();
    const { login: buyer, orgId: targetId } = await accountOwner('buyer');
    const productId = String(firstOrder.products[0]?.productId);

    const requested = await api('POST', `/v1/organizations/${orgId}/product-transfers`, {
      token: seller.idToken,
      json: { productIds: [productId], targetOrganizationId: targetId },
    });
    const { transferId } = requested.body as { transferId: string };
    const stillThere = await productsOf(seller.idToken, orgId);
    const incoming = await api('GET', `/v1/organizations/${targetId}/product-transfers`, {
      token: buyer.idToken,
    });
    const accepted = await api(
      'POST',
      `/v1/organizations/${targetId}/product-transfers/${transferId}/acceptance`,
      {
        token: buyer.idToken,
      },
    );
    const twice = await api(
      'POST',
      `/v1/organizations/${targetId}/product-transfers/${transferId}/acceptance`,
      {
        token: buyer.idToken,
      },
    );

    expect(requested).toMatchObject({ status: 202, body: { status: 'requested' } });
    expect(stillThere).toHaveLength(1);
    expect(incoming.body).toMatchObject({
      items: [{ transferId, productIds: [productId], status: 'pending' }],
    });
    expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(twice.status).toBe(409);
    expect((await productsOf(buyer.idToken, targetId)).map((p) => p.productId)).toEqual([productId]);
    expect(await productsOf(seller.idToken, orgId)).toEqual([]);
  });

  it('the seller cannot accept on the buyer’s behalf (404), and nothing moves', async () => {
    const { login: seller, orgId, firstOrder } = await customer();
    const { orgId: targetId } = await accountOwner('buyer');
    const requested = await api('POST', `/v1/organizations/${orgId}/product-transfers`, {
      token: seller.idToken,
      json: { productIds: [firstOrder.products[0]?.productId], targetOrganizationId: targetId },
    });

    const response = await api(
      'POST',
      `/v1/organizations/${targetId}/product-transfers/${(requested.body as { transferId: string }).transferId}/acceptance`,
      { token: seller.idToken },
    );

    expect(response.status).toBe(404);
    expect(await productsOf(seller.idToken, orgId)).toHaveLength(1);
  });
});

describe('what a transfer refuses (R13)', () => {
  const transfer = (token: string, orgId: string, json: unknown) =>
    api('POST', `/v1/organizations/${orgId}/product-transfers`, { token, json });

  it('a terminated product stays where it is (409), and so do the others of the request', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'domain', name: 'kept.ch', periodMonths: 12 },
      { type: 'domain', name: 'ended.ch', periodMonths: 12 },
    ]);
    const { orgId: targetId } = await accountOwner('buyer');
    const [kept, ended] = firstOrder.products.map((p) => String(p.productId));
    await api('POST', `/v1/organizations/${orgId}/products/${ended}/termination`, { token: login.idToken });

    const response = await transfer(login.idToken, orgId, {
      productIds: [kept, ended],
      targetOrganizationId: targetId,
    });

    expect(response).toMatchObject({
      status: 409,
      body: { detail: 'Terminated products cannot be transferred.' },
    });
    expect((await productsOf(login.idToken, orgId)).map((p) => p.productId).sort()).toEqual(
      [kept, ended].sort(),
    );
  });

  it('names the products the account does not have (404), and refuses its own account as target (400)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const other = await customer();
    const foreign = String(other.firstOrder.products[0]?.productId);
    const own = String(firstOrder.products[0]?.productId);

    const elsewhere = await transfer(login.idToken, orgId, {
      productIds: [own, foreign],
      targetOrganizationId: other.orgId,
    });
    const here = await transfer(login.idToken, orgId, { productIds: [own], targetOrganizationId: orgId });

    expect(elsewhere).toMatchObject({
      status: 404,
      body: { detail: `No product ${foreign} in this account.` },
    });
    expect(here).toMatchObject({
      status: 400,
      body: {
        errors: [{ pointer: '/body/targetOrganizationId', detail: 'The products are already there.' }],
      },
    });
    expect((await productsOf(login.idToken, orgId)).map((p) => p.productId)).toEqual([own]);
  });

  it('moves at most 25 products at a time (400 on /body/productIds)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const { orgId: targetId } = await accountOwner('buyer');
    const own = String(firstOrder.products[0]?.productId);

    const response = await transfer(login.idToken, orgId, {
      productIds: Array.from({ length: 26 }, () => own),
      targetOrganizationId: targetId,
    });

    expect(response).toMatchObject({ status: 400, body: { errors: [{ pointer: '/body/productIds' }] } });
  });

  it('a request one of whose products was terminated meanwhile cannot be accepted, an unknown one is 404, and a request is accepted once', async () => {
    const {
      login: seller,
      orgId,
      firstOrder,
    } = await customer([
      { type: 'domain', name: 'first.ch', periodMonths: 12 },
      { type: 'domain', name: 'second.ch', periodMonths: 12 },
    ]);
    const { login: buyer, orgId: targetId } = await accountOwner('buyer');
    const [first, second] = firstOrder.products.map((p) => String(p.productId));
    const request = async (...productIds: string[]) =>
      (
        (
          await transfer(seller.idToken, orgId, {
            productIds,
            targetOrganizationId: targetId,
          })
        ).body as { transferId: string }
      ).transferId;
    const accept = (transferId: string) =>
      api('POST', `/v1/organizations/${targetId}/product-transfers/${transferId}/acceptance`, {
        token: buyer.idToken,
      });
    // The stale request names both: one terminated product is enough to refuse it whole.
    const stale = await request(String(first), String(second));
    const fresh = await request(String(second));
    await api('POST', `/v1/organizations/${orgId}/products/${first}/termination`, { token: seller.idToken });

    const refused = await accept(stale);
    const unknown = await accept('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    const accepted = await accept(fresh);
    const twice = await accept(fresh);

    expect(refused).toMatchObject({
      status: 409,
      body: { detail: 'Some products of this request are no longer in the source account.' },
    });
    expect(unknown).toMatchObject({
      status: 404,
      body: { detail: 'No transfer request 01ARZ3NDEKTSV4RRFFQ69G5FAV.' },
    });
    expect(accepted.status).toBe(200);
    expect(twice).toMatchObject({ status: 409, body: { detail: 'The transfer request is accepted.' } });
    expect((await productsOf(buyer.idToken, targetId)).map((p) => p.productId)).toEqual([second]);
  });
});

describe('tenant isolation of billing (R4, section 9)', () => {
  it('a customer of account B reads and changes nothing of account A’s products, invoices and balance', async () => {
    const a = await customer();
    const b = await customer();
    const invoiceId = a.firstOrder.invoice.invoiceId;
    const productId = a.firstOrder.products[0]?.productId;
    const as = { token: b.login.idToken };
    const base = `/v1/organizations/${a.orgId}`;

    const attempts = await Promise.all([
      api('GET', `${base}/products`, as),
      api('GET', `${base}/products/${productId}`, as),
      api('POST', `${base}/products/${productId}/termination`, as),
      api('POST', `${base}/product-transfers`, {
        ...as,
        json: { productIds: [productId], targetOrganizationId: b.orgId },
      }),
      api('GET', `${base}/invoices`, as),
      api('GET', `${base}/invoices/export`, as),
      api('GET', `${base}/invoices/${invoiceId}`, as),
      api('GET', `${base}/invoices/${invoiceId}/document`, as),
      api('GET', `${base}/to-pay`, as),
      api('POST', `${base}/pro-formas`, { ...as, json: { invoiceIds: [invoiceId], paymentMethod: 'iban' } }),
      api('GET', `${base}/prepaid`, as),
      api('GET', `${base}/credits`, as),
      api('GET', `${base}/billing-addresses`, as),
      order(b.login.idToken, {
        organizationId: a.orgId,
        items: [{ type: 'domain', name: 'x.ch', periodMonths: 12 }],
        paymentMethod: 'iban',
      }),
    ]);

    expect(attempts.map((r) => r.status)).toEqual(Array(attempts.length).fill(404));
    expect(await productsOf(a.login.idToken, a.orgId)).toMatchObject([{ productId, status: 'active' }]);
    const invoices = await api('GET', `${base}/invoices`, { token: a.login.idToken });
    expect((invoices.body as { items: unknown[] }).items).toHaveLength(1);
  });
});
