import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invoiceItem, invoiceKeys } from '../../../functions/core/entities/invoice.ts';
import { organizationKeys } from '../../../functions/core/entities/organization.ts';
import { newId } from '../../../functions/core/ids.ts';
import { download, pdfPageToPng, pdfText } from '../../fixtures/pdf.ts';
import {
  ADDRESS,
  api,
  auditLog,
  bankPayment,
  control,
  customer,
  firstAddressId,
  newLogin,
  newStaff,
  order,
  type PlacedOrder,
  table,
} from '../helpers.ts';

/** The rows of a CSV export, header first. */
const csvRows = (body: unknown) => String(body).trim().split('\r\n');
/** The invoice numbers of a CSV export, in its order. */
const csvNumbers = (body: unknown) =>
  csvRows(body)
    .slice(1)
    .map((r) => r.split(',')[0]);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

interface ProFormaAnswer {
  proForma: { number: string; total: number; paymentReference: string; invoiceIds: string[] };
  url: string;
}

describe('bank payments (R15, R18)', () => {
  it('a payment with the invoice’s reference pays it; the final PDF is refused before (409) and opens after', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const { invoice } = firstOrder;
    const documentPath = `/v1/organizations/${orgId}/invoices/${invoice.invoiceId}/document`;

    const before = await api('GET', documentPath, { token: login.idToken });
    const bankTransactionId = randomUUID();
    const paid = await bankPayment(staff, invoice.paymentReference, invoice.total, 'CHF', bankTransactionId);
    const after = await api('GET', documentPath, { token: login.idToken });

    expect(before).toMatchObject({
      status: 409,
      body: {
        type: '/problems/conflict',
        detail: `Invoice ${invoice.number} is open: the final invoice is available once it is paid. A pro-forma can be printed before.`,
      },
    });
    expect(paid).toMatchObject({
      status: 200,
      body: { matched: true, paidInvoices: [invoice.invoiceId], toPrepaidBalance: 0 },
    });
    // The record accounting keeps says so too: matched, to this account and invoice.
    expect(await table().get({ pk: `PAYMENT#${bankTransactionId}`, sk: 'PAYMENT' })).toMatchObject({
      matched: true,
      organizationId: orgId,
      invoiceIds: [invoice.invoiceId],
    });
    expect(after.status).toBe(200);
    const { url } = after.body as { url: string };
    const pdf = await download(url); // served as application/pdf (the fixture checks)
    const text = pdfText(pdf);
    expect(text).toContain(`Invoice ${invoice.number}`);
    expect(text).toMatch(/CHF\s19\.46/);
    // The order's line, not a renewal's.
    expect(text).toContain('Domain name example.ch, 12 months');
    expect(text).not.toContain('Renewal');
    expect(text).not.toContain('no legal, tax or accounting value');
    expect(pdfPageToPng(pdf).subarray(0, 4).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('an overpayment pays the invoice and puts the rest on the prepaid balance, which then pays an order', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();

    const paid = await bankPayment(
      staff,
      firstOrder.invoice.paymentReference,
      firstOrder.invoice.total + 5000,
    );
    const prepaid = await order(login.idToken, {
      organizationId: orgId,
      items: [{ type: 'domain', name: 'second.ch', periodMonths: 12 }],
      paymentMethod: 'prepaid',
    });
    const statement = await api('GET', `/v1/organizations/${orgId}/prepaid`, { token: login.idToken });

    expect(paid.body).toMatchObject({ toPrepaidBalance: 5000 });
    expect(prepaid.status).toBe(201);
    const paidInvoice = (prepaid.body as PlacedOrder).invoice;
    expect(paidInvoice).toMatchObject({ status: 'paid', amountPaid: 1946, paidAt: paidInvoice.issuedAt });
    // Paid when issued, it never enters the sparse open-invoice index (GSI2) the to-pay list reads.
    const stored = await table().get({ pk: `ORG#${orgId}`, sk: `INVOICE#${paidInvoice.invoiceId}` });
    expect(stored).toMatchObject({ status: 'paid' });
    expect(stored?.gsi2pk).toBeUndefined();
    expect(statement.body).toMatchObject({
      balance: 5000 - 1946,
      // Each entry names what moved the balance: the order's invoice, the payment's reference.
      entries: [
        { amount: -1946, reason: 'order', reference: (prepaid.body as PlacedOrder).invoice.number },
        { amount: 5000, reason: 'overpayment', reference: firstOrder.invoice.paymentReference },
      ],
    });
  });

  it('the same bank transaction recorded twice counts once', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const payment = {
      bankTransactionId: `tx-${orgId}`,
      reference: firstOrder.invoice.paymentReference,
      amount: 100_000,
      currency: 'CHF',
    };

    const first = await api('POST', '/v1/staff/bank-payments', { token: staff.idToken, json: payment });
    const second = await api('POST', '/v1/staff/bank-payments', { token: staff.idToken, json: payment });
    const statement = await api('GET', `/v1/organizations/${orgId}/prepaid`, { token: login.idToken });

    expect(first.body).toMatchObject({ duplicate: false });
    expect(second.body).toMatchObject({ duplicate: true });
    expect(statement.body).toMatchObject({ balance: 100_000 - firstOrder.invoice.total });
  });

  it('a payment whose reference matches nothing is kept for staff and credits no account', async () => {
    const staff = await newStaff();

    const bankTransactionId = randomUUID();

    const response = await api('POST', '/v1/staff/bank-payments', {
      token: staff.idToken,
      json: { bankTransactionId, reference: 'RF18539007547034', amount: 1234, currency: 'CHF' },
    });

    expect(response.body).toMatchObject({ matched: false, organizationId: null, toPrepaidBalance: 0 });
    // Kept, unmatched and in no account, for staff to place by hand.
    const kept = await table().get({ pk: `PAYMENT#${bankTransactionId}`, sk: 'PAYMENT' });
    expect(kept?.organizationId).toBeUndefined();
    expect(kept).toMatchObject({
      type: 'BankPayment',
      matched: false,
      reference: 'RF18539007547034',
      amount: 1234,
      currency: 'CHF',
      invoiceIds: [],
    });
  });

  it('a deleted account takes no money: a payment to its reference, in its currency or another, is kept unmatched (R28)', async () => {
    const { orgId, firstOrder } = await customer();
    const staff = await newStaff();
    // As the deletion workflow leaves it (account-deletion.test.ts runs the whole workflow).
    await table().set(organizationKeys(orgId), { status: 'deleted', deletedAt: new Date().toISOString() });
    const { paymentReference, total } = firstOrder.invoice;

    const inFrancs = await bankPayment(staff, paymentReference, total, 'CHF');
    const inEuros = await bankPayment(staff, paymentReference, total, 'EUR');

    for (const answer of [inFrancs, inEuros]) {
      expect(answer).toMatchObject({
        status: 200,
        body: { matched: false, organizationId: null, paidInvoices: [], toPrepaidBalance: 0 },
      });
    }
    const invoice = await table().get(invoiceKeys(orgId, firstOrder.invoice.invoiceId));
    expect(invoice).toMatchObject({ status: 'open', amountPaid: 0 });
  });

  it('prepaid orders need the balance (400), and withdrawals cannot exceed it (409)', async () => {
    const { login, orgId } = await customer();

    const unpaid = await order(login.idToken, {
      organizationId: orgId,
      items: [{ type: 'domain', name: 'x.ch', periodMonths: 12 }],
      paymentMethod: 'prepaid',
    });
    const withdrawal = await api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
      token: login.idToken,
      json: { amount: 100, iban: 'CH93 0076 2011 6238 5295 7', accountHolder: 'Ada Lovelace' },
    });
    const badIban = await api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
      token: login.idToken,
      json: { amount: 100, iban: 'CH00 0000', accountHolder: 'Ada Lovelace' },
    });

    expect(unpaid).toMatchObject({ status: 400, body: { errors: [{ pointer: '/body/paymentMethod' }] } });
    expect(withdrawal.status).toBe(409);
    expect(badIban).toMatchObject({ status: 400, body: { errors: [{ pointer: '/body/iban' }] } });
  });

  it('a withdrawal lowers the balance and leaves accounting its payout: amount, IBAN and holder (R18)', async () => {
    const { login, orgId, firstOrder } = await customer();
    await bankPayment(
      await newStaff(),
      firstOrder.invoice.paymentReference,
      firstOrder.invoice.total + 5_000,
    );
    const iban = 'CH93 0076 2011 6238 5295 7';

    const withdrawn = await api('POST', `/v1/organizations/${orgId}/prepaid/withdrawals`, {
      token: login.idToken,
      json: { amount: 3_000, iban, accountHolder: 'Ada Lovelace' },
    });

    expect(withdrawn).toMatchObject({ status: 201, body: { balance: 2_000, entry: { amount: -3_000 } } });
    const { entryId } = (withdrawn.body as { entry: { entryId: string } }).entry;
    expect(await table().get({ pk: `ORG#${orgId}`, sk: `WITHDRAWAL#${entryId}` })).toMatchObject({
      type: 'Withdrawal',
      status: 'requested',
      amount: 3_000,
      currency: 'CHF',
      iban: 'CH9300762011623852957',
      accountHolder: 'Ada Lovelace',
      requestedBy: login.userId,
    });
    expect(await auditLog(login.idToken, orgId)).toContainEqual(
      expect.objectContaining({ action: 'prepaid.withdrawn', details: { amount: 3_000 } }),
    );
  });

  it('lists the billing addresses oldest first: the first order’s, then each added (R20)', async () => {
    const { login, orgId } = await customer();
    const first = await firstAddressId(login.idToken, orgId);
    const added: string[] = [];
    for (const city of ['Bern', 'Basel', 'Chur']) {
      const response = await api('POST', `/v1/organizations/${orgId}/billing-addresses`, {
        token: login.idToken,
        json: { ...ADDRESS, city },
      });
      added.push((response.body as { addressId: string }).addressId);
    }

    const listed = await api('GET', `/v1/organizations/${orgId}/billing-addresses`, { token: login.idToken });

    const items = (listed.body as { items: { addressId: string; default: boolean }[] }).items;
    expect(items.map((a) => a.addressId)).toEqual([first, ...added]);
    // The first order's address is the default, and only it.
    expect(items.map((a) => a.default)).toEqual([true, false, false, false]);
  });

  it('a payment in another currency than the account’s pays nothing and is left to staff (409)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const { invoice } = firstOrder;

    const paid = await bankPayment(await newStaff(), invoice.paymentReference, invoice.total, 'EUR');

    expect(paid).toMatchObject({
      status: 409,
      body: { detail: 'The account bills in CHF; record this payment by hand.' },
    });
    const open = await api('GET', `/v1/organizations/${orgId}/invoices?status=open`, {
      token: login.idToken,
    });
    expect((open.body as { items: { invoiceId: string }[] }).items.map((i) => i.invoiceId)).toEqual([
      invoice.invoiceId,
    ]);
  });

  it('an account that bills in EUR is invoiced, paid and credited in EUR, and a payment in CHF is left to staff (R19)', async () => {
    const login = await newLogin('euro');
    const placed = await order(login.idToken, {
      newAccount: { holder: { kind: 'company', businessName: 'Euro GmbH' }, currency: 'EUR' },
      items: [{ type: 'domain', name: 'euro.de', periodMonths: 12 }],
      paymentMethod: 'iban',
      billingAddress: ADDRESS,
    });
    const { organizationId: orgId, invoice } = placed.body as PlacedOrder;
    const staff = await newStaff();

    const inFrancs = await bankPayment(staff, invoice.paymentReference, invoice.total, 'CHF');
    const inEuros = await bankPayment(staff, invoice.paymentReference, invoice.total + 250, 'EUR');
    const statement = await api('GET', `/v1/organizations/${orgId}/prepaid`, { token: login.idToken });

    expect(placed.status).toBe(201);
    expect(invoice.currency).toBe('EUR');
    expect(inFrancs).toMatchObject({
      status: 409,
      body: { detail: 'The account bills in EUR; record this payment by hand.' },
    });
    expect(inEuros).toMatchObject({
      status: 200,
      body: { paidInvoices: [invoice.invoiceId], toPrepaidBalance: 250 },
    });
    expect(statement.body).toMatchObject({
      balance: 250,
      currency: 'EUR',
      entries: [{ amount: 250, currency: 'EUR', reason: 'overpayment' }],
    });
  });

  it('only staff record bank payments (403)', async () => {
    const { login, firstOrder } = await customer();

    const response = await bankPayment(login, firstOrder.invoice.paymentReference, firstOrder.invoice.total);

    expect(response.status).toBe(403);
  });
});

describe('pro-forma (R22, R23)', () => {
  it('a pro-forma paid exactly the first invoice’s total pays that one, and leaves the next untouched (not "partly paid")', async () => {
    const { login, orgId, firstOrder } = await customer();
    const second = await order(login.idToken, {
      organizationId: orgId,
      items: [{ type: 'domain', name: 'second.ch', periodMonths: 12 }],
      paymentMethod: 'iban',
    });
    const next = (second.body as PlacedOrder).invoice;
    const created = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: { invoiceIds: [firstOrder.invoice.invoiceId, next.invoiceId], paymentMethod: 'iban' },
    });
    const { proForma } = created.body as ProFormaAnswer;

    const paid = await bankPayment(await newStaff(), proForma.paymentReference, firstOrder.invoice.total);

    expect(paid).toMatchObject({
      status: 200,
      body: { paidInvoices: [firstOrder.invoice.invoiceId], partiallyPaidInvoices: [], toPrepaidBalance: 0 },
    });
    const untouched = await api('GET', `/v1/organizations/${orgId}/invoices/${next.invoiceId}`, {
      token: login.idToken,
    });
    expect(untouched.body).toMatchObject({ status: 'open', amountPaid: 0 });
  });

  it('to pay lists the open invoices newest first, as the table has them: one the open-invoice index still holds after it was paid is left out', async () => {
    const { login, orgId, firstOrder } = await customer();
    const domain = (name: string) =>
      order(login.idToken, {
        organizationId: orgId,
        items: [{ type: 'domain', name, periodMonths: 12 }],
        paymentMethod: 'iban',
      });
    const second = await domain('second.ch');
    // Four open: the table's answer comes in no particular order (as a BatchGetItem's does), so
    // an unsorted list is in this order once in 24 runs.
    const later = [await domain('third.ch'), await domain('fourth.ch'), await domain('fifth.ch')];
    // An index lags its table: the second invoice is paid in the table, still in the index.
    await table().set(invoiceKeys(orgId, (second.body as PlacedOrder).invoice.invoiceId), { status: 'paid' });

    const toPay = await api('GET', `/v1/organizations/${orgId}/to-pay`, { token: login.idToken });

    expect((toPay.body as { invoices: { invoiceId: string }[] }).invoices.map((i) => i.invoiceId)).toEqual([
      ...later.map((placed) => (placed.body as PlacedOrder).invoice.invoiceId).reverse(),
      firstOrder.invoice.invoiceId,
    ]);
  });

  it('lists products due for renewal and open invoices, and makes a QR-bill pro-forma covering both', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'monthly', periodMonths: 1 },
    ]);
    const [product] = firstOrder.products;

    const toPay = await api('GET', `/v1/organizations/${orgId}/to-pay`, { token: login.idToken });
    const created = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: {
        productIds: [product?.productId],
        invoiceIds: [firstOrder.invoice.invoiceId],
        paymentMethod: 'qr-bill',
      },
    });

    expect(toPay.body).toMatchObject({
      products: [{ productId: product?.productId }],
      invoices: [{ invoiceId: firstOrder.invoice.invoiceId }],
    });
    expect(created.status).toBe(201);
    const { proForma, url } = created.body as ProFormaAnswer;
    expect(proForma.number).toMatch(/^PF-\d{8}$/);
    expect(proForma.invoiceIds).toHaveLength(2);
    expect(proForma.total).toBe(2 * 973); // CHF 9.00 + 8.1 % VAT, for the order and its renewal
    // The renewal invoice it made names its line as a renewal (the API's copy of the line).
    const renewalId = proForma.invoiceIds.find((id) => id !== firstOrder.invoice.invoiceId);
    const renewal = await api('GET', `/v1/organizations/${orgId}/invoices/${renewalId}`, {
      token: login.idToken,
    });
    expect(renewal.body).toMatchObject({
      kind: 'renewal',
      lines: [{ productId: product?.productId, description: 'Renewal Web hosting monthly, 1 month' }],
    });
    // The account's log says who had the renewal invoiced, and which invoice it is.
    expect((await auditLog(login.idToken, orgId)).filter((e) => e.action.startsWith('renewal'))).toEqual([
      expect.objectContaining({
        action: 'renewal.invoiced',
        actorId: login.userId,
        details: { invoiceId: renewalId },
      }),
    ]);
    expect(url).toMatch(/X-Amz-Expires=300/);
    const pdf = await download(url);
    const text = pdfText(pdf);
    expect(text).toContain(`Pro-forma invoice ${proForma.number}`);
    // Its own reference, made from its number: a payment quoting it pays what it covers.
    expect(proForma.paymentReference.endsWith(proForma.number.replace('-', ''))).toBe(true);
    expect(text).toMatch(new RegExp(`Covers invoices: ${firstOrder.invoice.number}, INV-\\d{8}\n`));
    // The totals of what it covers: net, VAT, total.
    expect(text).toMatch(/Total\nCHF\s18\.00\nCHF\s1\.46\nCHF\s19\.46\n/);
    expect(text).toContain('This pro-forma invoice has no legal, tax or accounting value.');
    expect(text).toContain('CH93 0076 2011 6238 5295 7');
    expect(text).toContain('Payment part');
    expect(text).toContain('19.46');
    // The order's line as ordered, then the product's renewal as a renewal.
    expect(text).toMatch(
      /(?<!Renewal )Web hosting monthly, 1 month[\s\S]*Renewal Web hosting monthly, 1 month/,
    );
    expect(text).toContain(`${proForma.paymentReference.slice(0, 4)} `);
    expect(pdfPageToPng(pdf).subarray(0, 4).equals(PNG_SIGNATURE)).toBe(true);
    // Paid from the QR-bill: its reference pays both invoices.
    const paid = await bankPayment(await newStaff(), proForma.paymentReference, proForma.total);
    expect((paid.body as { paidInvoices: string[] }).paidInvoices.sort()).toEqual(
      [...proForma.invoiceIds].sort(),
    );
  });

  it('asks for what is left of a partly paid invoice, and a payment of that much settles it', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    await bankPayment(staff, firstOrder.invoice.paymentReference, 500);

    const created = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: { invoiceIds: [firstOrder.invoice.invoiceId], paymentMethod: 'iban' },
    });
    const { proForma } = created.body as ProFormaAnswer;
    const paid = await bankPayment(staff, proForma.paymentReference, proForma.total + 100);

    expect(proForma.total).toBe(firstOrder.invoice.total - 500);
    expect(paid.body).toMatchObject({ paidInvoices: [firstOrder.invoice.invoiceId], toPrepaidBalance: 100 });
  });

  it('is due on the earliest due day of the invoices it covers', async () => {
    const { login, orgId, firstOrder } = await customer();
    const second = (
      await order(login.idToken, {
        organizationId: orgId,
        items: [{ type: 'domain', name: `${randomUUID()}.ch`, periodMonths: 12 }],
        paymentMethod: 'iban',
      })
    ).body as PlacedOrder;
    // The first invoice falls due later than the second.
    await table().set(invoiceKeys(orgId, firstOrder.invoice.invoiceId), { dueOn: '2030-01-10' });
    await table().set(invoiceKeys(orgId, second.invoice.invoiceId), { dueOn: '2030-01-05' });

    const created = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: { invoiceIds: [firstOrder.invoice.invoiceId, second.invoice.invoiceId], paymentMethod: 'iban' },
    });

    expect(created).toMatchObject({ status: 201, body: { proForma: { dueOn: '2030-01-05' } } });
  });

  it('a payment with the pro-forma’s reference pays every invoice it covers and renews the product', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'monthly', periodMonths: 1 },
    ]);
    const staff = await newStaff();
    const [product] = firstOrder.products;
    const created = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: {
        productIds: [product?.productId],
        invoiceIds: [firstOrder.invoice.invoiceId],
        paymentMethod: 'iban',
      },
    });
    const { proForma } = created.body as ProFormaAnswer;

    const paid = await bankPayment(staff, proForma.paymentReference, proForma.total);
    const renewed = await api('GET', `/v1/organizations/${orgId}/products/${product?.productId}`, {
      token: login.idToken,
    });

    expect((paid.body as { paidInvoices: string[] }).paidInvoices.sort()).toEqual(
      [...proForma.invoiceIds].sort(),
    );
    expect((renewed.body as { expiresOn: string }).expiresOn > String(product?.expiresOn)).toBe(true);
    const open = await api('GET', `/v1/organizations/${orgId}/invoices?status=open`, {
      token: login.idToken,
    });
    expect(open.body).toMatchObject({ items: [] });
  });

  it('is refused for prepaid payment (400) and for nothing selected (400)', async () => {
    const { login, orgId, firstOrder } = await customer();

    const prepaid = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: { invoiceIds: [firstOrder.invoice.invoiceId], paymentMethod: 'prepaid' },
    });
    const empty = await api('POST', `/v1/organizations/${orgId}/pro-formas`, {
      token: login.idToken,
      json: { paymentMethod: 'iban' },
    });

    expect(prepaid).toMatchObject({
      status: 400,
      body: {
        errors: [
          {
            pointer: '/body/paymentMethod',
            detail: expect.stringContaining('only for payment by bank transfer'),
          },
        ],
      },
    });
    expect(empty.status).toBe(400);
  });

  it('names what it cannot cover, each on its own field: another account’s product, invoice and address, a terminated product', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'domain', name: 'kept.ch', periodMonths: 12 },
      { type: 'domain', name: 'ended.ch', periodMonths: 12 },
    ]);
    const other = await customer();
    const [kept, ended] = firstOrder.products.map((p) => String(p.productId));
    await api('POST', `/v1/organizations/${orgId}/products/${ended}/termination`, { token: login.idToken });
    const foreignProduct = String(other.firstOrder.products[0]?.productId);
    const foreignInvoice = other.firstOrder.invoice.invoiceId;
    const foreignAddressId = await firstAddressId(other.login.idToken, other.orgId);
    const proForma = (json: unknown) =>
      api('POST', `/v1/organizations/${orgId}/pro-formas`, { token: login.idToken, json });

    const refused = await proForma({
      productIds: [foreignProduct, ended],
      invoiceIds: [foreignInvoice],
      paymentMethod: 'iban',
    });
    const elsewhere = await proForma({
      productIds: [kept],
      billingAddressId: foreignAddressId,
      paymentMethod: 'iban',
    });

    expect(refused).toMatchObject({
      status: 400,
      body: {
        errors: [
          { pointer: '/body/productIds/0', detail: `No product ${foreignProduct} in this account.` },
          { pointer: '/body/productIds/1', detail: 'This product is terminated.' },
          { pointer: '/body/invoiceIds/0', detail: `No invoice ${foreignInvoice} in this account.` },
        ],
      },
    });
    expect(elsewhere).toMatchObject({
      status: 400,
      body: {
        errors: [{ pointer: '/body/billingAddressId', detail: 'No such billing address on this account.' }],
      },
    });
    const invoices = await api('GET', `/v1/organizations/${orgId}/invoices`, { token: login.idToken });
    expect((invoices.body as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe('to pay (R23)', () => {
  it('offers only the products whose term ends within the renewal window, each at its price', async () => {
    const { login, orgId, firstOrder } = await customer([
      { type: 'web-hosting', name: 'monthly', periodMonths: 1 },
      { type: 'domain', name: `${randomUUID()}.ch`, periodMonths: 12 },
    ]);
    const [monthly] = firstOrder.products;

    const toPay = await api('GET', `/v1/organizations/${orgId}/to-pay`, { token: login.idToken });

    const { products } = toPay.body as { products: { productId: string; renewalPrice: unknown }[] };
    expect(products.map((p) => p.productId)).toEqual([monthly?.productId]);
    expect(products[0]?.renewalPrice).toEqual(monthly?.price);
  });
});

describe('invoice history (R20, R24)', () => {
  it('is newest first, paginated by cursor and filterable by status; CSV has every invoice', async () => {
    const { login, orgId, firstOrder } = await customer();
    const staff = await newStaff();
    const more = [];
    for (const name of ['b.ch', 'c.ch']) {
      more.push(
        await order(login.idToken, {
          organizationId: orgId,
          items: [{ type: 'domain', name, periodMonths: 12 }],
          paymentMethod: 'iban',
        }),
      );
    }
    await bankPayment(staff, firstOrder.invoice.paymentReference, firstOrder.invoice.total);
    const path = `/v1/organizations/${orgId}/invoices`;

    const page1 = (await api('GET', `${path}?limit=2`, { token: login.idToken })).body as {
      items: { invoiceId: string }[];
      nextCursor: string;
    };
    const page2 = (await api('GET', `${path}?limit=2&cursor=${page1.nextCursor}`, { token: login.idToken }))
      .body as {
      items: { invoiceId: string }[];
      nextCursor: string | null;
    };
    const paid = (await api('GET', `${path}?status=paid`, { token: login.idToken })).body as {
      items: { invoiceId: string }[];
    };
    const open = (await api('GET', `${path}?status=open`, { token: login.idToken })).body as {
      items: { invoiceId: string }[];
    };
    const csv = await api('GET', `${path}/export`, { token: login.idToken });

    const newestFirst = [
      ...more.reverse().map((m) => (m.body as PlacedOrder).invoice.invoiceId),
      firstOrder.invoice.invoiceId,
    ];
    expect([...page1.items, ...page2.items].map((i) => i.invoiceId)).toEqual(newestFirst);
    expect(page2.nextCursor).toBeNull();
    expect(paid.items.map((i) => i.invoiceId)).toEqual([firstOrder.invoice.invoiceId]);
    expect(open.items.map((i) => i.invoiceId)).toEqual(newestFirst.slice(0, 2));
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csvRows(csv.body);
    expect(rows[0]).toBe('number,issued,due,status,currency,net,vat,total,paid,reference');
    expect(rows).toHaveLength(4);
    const { number, issuedAt, dueOn, paymentReference } = firstOrder.invoice;
    expect(rows).toContain(
      `${number},${issuedAt.slice(0, 10)},${dueOn},paid,CHF,18.00,1.46,19.46,19.46,${paymentReference}`,
    );
    // Filtered as the list is: the two open ones.
    const openCsv = await api('GET', `${path}/export?status=open`, { token: login.idToken });
    expect(csvNumbers(openCsv.body).sort()).toEqual(
      more.map((m) => (m.body as PlacedOrder).invoice.number).sort(),
    );
  });

  it('the CSV export has every invoice of a long history, past a hundred (it reads page after page)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const stored = invoiceItem.fromItem(
      (await table().get(invoiceKeys(orgId, firstOrder.invoice.invoiceId))) ?? {},
    );
    // 120 more invoices, as years of orders would leave them.
    for (let i = 0; i < 120; i++) {
      await table().put(
        invoiceItem.toItem({ ...stored, invoiceId: newId(), number: `INV-H${String(i).padStart(7, '0')}` }),
      );
    }

    const csv = await api('GET', `/v1/organizations/${orgId}/invoices/export`, { token: login.idToken });

    const numbers = csvNumbers(csv.body);
    expect(numbers).toHaveLength(121);
    expect(new Set(numbers).size).toBe(121);
  });

  it('an invoice the account does not have is a 404 that names it', async () => {
    const { login, orgId } = await customer();
    const invoiceId = newId();

    const missing = await api('GET', `/v1/organizations/${orgId}/invoices/${invoiceId}`, {
      token: login.idToken,
    });

    expect(missing).toMatchObject({ status: 404, body: { detail: `No invoice ${invoiceId}.` } });
  });

  it.each([
    ['an unknown status', '?status=lost', '/query/status'],
    ['a limit over 100', '?limit=1000', '/query/limit'],
    ['a forged cursor', '?cursor=not_a_cursor', '/query/cursor'],
  ])('refuses %s with 400', async (_, query, pointer) => {
    const { login, orgId } = await customer();

    const response = await api('GET', `/v1/organizations/${orgId}/invoices${query}`, {
      token: login.idToken,
    });

    expect(response).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ pointer })] } });
  });

  it('an address the account does not have cannot be edited or made the default (404)', async () => {
    const { login, orgId } = await customer();
    const other = await customer();
    const theirsId = await firstAddressId(other.login.idToken, other.orgId);
    const path = `/v1/organizations/${orgId}/billing-addresses/${theirsId}`;

    const edited = await api('PUT', path, { token: login.idToken, json: ADDRESS });
    const chosen = await api('PUT', `/v1/organizations/${orgId}/default-billing-address`, {
      token: login.idToken,
      json: { addressId: theirsId },
    });

    const missing = { status: 404, body: { detail: `No billing address ${theirsId}.` } };
    expect(edited).toMatchObject(missing);
    expect(chosen).toMatchObject(missing);
  });

  it('an address is edited with one read and one transaction, whether it is the default or not (issue 16)', async () => {
    const { login, orgId } = await customer();
    const defaultId = await firstAddressId(login.idToken, orgId);
    const added = await api('POST', `/v1/organizations/${orgId}/billing-addresses`, {
      token: login.idToken,
      json: { ...ADDRESS, city: 'Bern' },
    });
    const otherId = (added.body as { addressId: string }).addressId;
    const since = new Date().toISOString();

    for (const id of [defaultId, otherId]) {
      const edited = await api('PUT', `/v1/organizations/${orgId}/billing-addresses/${id}`, {
        token: login.idToken,
        json: { ...ADDRESS, city: 'Basel' },
      });
      expect(edited.status).toBe(200);
    }

    const { calls } = (await control('GET', `/calls?principal=EditAddress&mentions=${orgId}`)) as {
      calls: { operation: string; at: string }[];
    };
    expect(calls.filter((c) => c.at >= since).map((c) => c.operation)).toEqual([
      'BatchGetItem',
      'TransactWriteItems',
      'BatchGetItem',
      'TransactWriteItems',
    ]);
  });

  it('an invoice keeps the billing address it was issued with when the address changes (R20)', async () => {
    const { login, orgId, firstOrder } = await customer();
    const addresses = (
      await api('GET', `/v1/organizations/${orgId}/billing-addresses`, { token: login.idToken })
    ).body as {
      items: { addressId: string; default: boolean }[];
    };
    const [address] = addresses.items;

    const edited = await api('PUT', `/v1/organizations/${orgId}/billing-addresses/${address?.addressId}`, {
      token: login.idToken,
      json: { ...ADDRESS, street: 'Paradeplatz', buildingNumber: '8' },
    });
    const invoice = await api('GET', `/v1/organizations/${orgId}/invoices/${firstOrder.invoice.invoiceId}`, {
      token: login.idToken,
    });

    expect(address?.default).toBe(true);
    expect(edited.status).toBe(200);
    expect(invoice.body).toMatchObject({ billingAddress: { street: 'Bahnhofstrasse' } });
  });

  it('an order to the default address bills it as it is now: after an edit, after another default is chosen', async () => {
    const { login, orgId } = await customer();
    const token = login.idToken;
    const addressesPath = `/v1/organizations/${orgId}/billing-addresses`;
    const [first] = ((await api('GET', addressesPath, { token })).body as { items: { addressId: string }[] })
      .items;
    const billedTo = async () => {
      const placed = await order(token, {
        organizationId: orgId,
        items: [{ type: 'domain', name: `n${Date.now()}.ch`, periodMonths: 12 }],
        paymentMethod: 'iban',
      });
      expect(placed.status).toBe(201);
      return (placed.body as PlacedOrder).invoice.billingAddress;
    };

    await api('PUT', `${addressesPath}/${first?.addressId}`, {
      token,
      json: { ...ADDRESS, street: 'Paradeplatz' },
    });
    const afterEdit = await billedTo();
    const second = (await api('POST', addressesPath, { token, json: { ...ADDRESS, name: 'Second Ltd' } }))
      .body as { addressId: string };
    const chosen = await api('PUT', `/v1/organizations/${orgId}/default-billing-address`, {
      token,
      json: { addressId: second.addressId },
    });
    const afterChoice = await billedTo();
    // The former default edited again: the default stays the second address.
    await api('PUT', `${addressesPath}/${first?.addressId}`, {
      token,
      json: { ...ADDRESS, street: 'Limmatquai' },
    });
    const afterOtherEdit = await billedTo();
    await api('PUT', `${addressesPath}/${second.addressId}`, {
      token,
      json: { ...ADDRESS, name: 'Second AG' },
    });
    const afterDefaultEdit = await billedTo();

    expect(afterEdit).toMatchObject({ street: 'Paradeplatz' });
    expect(chosen.status).toBe(200);
    expect(afterChoice).toMatchObject({ name: 'Second Ltd' });
    expect(afterOtherEdit).toMatchObject({ name: 'Second Ltd', street: ADDRESS.street });
    expect(afterDefaultEdit).toMatchObject({ name: 'Second AG' });
  });
});
