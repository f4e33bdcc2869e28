import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as fc from 'fast-check';
import { expect } from 'vitest';
import type { ProductType } from '../../../functions/core/catalog.ts';
import { addDays, termEnd, today } from '../../../functions/core/dates.ts';
import { productItem, productKeys } from '../../../functions/core/entities/product.ts';
import { creditorReference } from '../../../functions/core/payment-reference.ts';
import type { Login } from '../../../infra/local/identity.ts';
import {
  ADDRESS,
  type ApiResponse,
  api,
  documentClient,
  linkToken,
  local,
  runWorkflow,
  table,
  waitForSubject,
} from '../helpers.ts';

/**
 * The model-based test of an account's billing life (issue 12): fast-check draws sequences of
 * what customers, staff and time do to three accounts — A and C, both administered by one
 * owner, and B, a buyer's — and runs them against the local stack. After every step the
 * invariants below are read from the table (the truth, whatever the API shows) and checked
 * against the previous step's snapshot. The model keeps only what the table cannot tell:
 * the money that came in and went out, and what was terminated or released.
 */

export type AccountKey = 'A' | 'C' | 'B';

export interface Lane {
  owner: Login;
  buyer: Login;
  outsider: Login;
  staff: Login;
  promo: string;
}

interface ProductRow {
  productId: string;
  organizationId: string;
  status: string;
  expiresOn: string;
  renewalPeriodMonths: number;
  openRenewalInvoiceId?: string;
}
interface InvoiceRow {
  invoiceId: string;
  organizationId: string;
  number: string;
  kind: string;
  status: string;
  total: number;
  net: number;
  vat: number;
  amountPaid: number;
  paymentReference: string;
  lines: { productId?: string; periodMonths?: number; total: number; net: number; vat: number }[];
}
interface LedgerRow {
  sk: string;
  amount: number;
  balanceAfter: number;
}
export interface Snapshot {
  products: Map<string, ProductRow>;
  invoices: Map<string, InvoiceRow>;
  balances: Map<string, number>;
  ledgers: Map<string, LedgerRow[]>;
}

export interface Model {
  run: number;
  accounts: Record<AccountKey, string>;
  deleted: Set<string>;
  /** Bank payments matched to one of the three accounts, first recordings only. */
  bankIn: number;
  withdrawn: number;
  payments: { json: Record<string, unknown>; answer: unknown }[];
  proFormas: { organizationId: string; reference: string; total: number }[];
  terminated: Set<string>;
  /** Products a lifecycle run released at this expiry (past their grace period). */
  released: Map<string, string>;
  /** The product whose term a step moved on purpose (time passing), not a renewal. */
  moved?: string;
  snapshot: Snapshot;
}

export interface Real {
  lane: Lane;
}

const ORDERABLE: ProductType[] = ['domain', 'web-hosting', 'mail-service', 'backup'];
const OK = (r: ApiResponse, ...statuses: number[]) => {
  if (!statuses.includes(r.status)) {
    throw new Error(`unexpected ${r.status}: ${JSON.stringify(r.body)}`);
  }
  return r;
};

// ---- Reading the truth ------------------------------------------------------------------------

async function partition(organizationId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: local().tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ORG#${organizationId}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items;
}

export async function snapshot(model: Pick<Model, 'accounts'>): Promise<Snapshot> {
  const snap: Snapshot = {
    products: new Map(),
    invoices: new Map(),
    balances: new Map(),
    ledgers: new Map(),
  };
  for (const organizationId of Object.values(model.accounts)) {
    const items = await partition(organizationId);
    const ledger: LedgerRow[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === 'ORG') snap.balances.set(organizationId, Number(item.prepaidBalance ?? 0));
      else if (sk.startsWith('PRODUCT#'))
        snap.products.set(String(item.productId), item as unknown as ProductRow);
      else if (sk.startsWith('INVOICE#'))
        snap.invoices.set(String(item.invoiceId), item as unknown as InvoiceRow);
      else if (sk.startsWith('LEDGER#'))
        ledger.push({ sk, amount: Number(item.amount), balanceAfter: Number(item.balanceAfter) });
    }
    snap.ledgers.set(
      organizationId,
      ledger.sort((a, b) => a.sk.localeCompare(b.sk)),
    );
  }
  return snap;
}

const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);

/** Every invariant of issue 12, from the previous step's snapshot to this one. */
export function checkInvariants(model: Model, next: Snapshot): void {
  const prev = model.snapshot;
  const day = today();
  // A terminated product never becomes active (or anything else) again.
  for (const [id, p] of next.products) {
    if (model.terminated.has(id)) expect(p.status, `terminated product ${id}`).toBe('terminated');
    if (p.status === 'terminated') model.terminated.add(id);
    // A product past its grace period is never active.
    if (model.released.get(id) === p.expiresOn) expect(p.status, `released product ${id}`).toBe('terminated');
  }
  // Each paid renewal extends exactly its product, wherever it lives now; nothing else moves.
  const renewedNow = new Set<string>();
  for (const [id, invoice] of next.invoices) {
    const before = prev.invoices.get(id);
    if (invoice.kind !== 'renewal' || invoice.status !== 'paid' || before?.status === 'paid') continue;
    for (const line of invoice.lines) {
      if (!line.productId || !line.periodMonths) continue;
      const was = prev.products.get(line.productId);
      const now = next.products.get(line.productId);
      expect(now, `renewed product ${line.productId}`).toBeDefined();
      if (!was || !now) continue;
      const from = [addDays(was.expiresOn, 1), day].sort()[1] ?? day;
      expect(now.expiresOn, `renewal ${invoice.number} of ${line.productId}`).toBe(
        termEnd(from, line.periodMonths),
      );
      expect(now.status).toBe('active');
      renewedNow.add(line.productId);
    }
  }
  for (const [id, now] of next.products) {
    const was = prev.products.get(id);
    if (was && !renewedNow.has(id) && model.moved !== id) {
      expect(now.expiresOn, `term of ${id} moved without a paid renewal`).toBe(was.expiresOn);
    }
  }
  // Prepaid balance = sum of the ledger; each balanceAfter is the running sum in ledger order.
  for (const [organizationId, ledger] of next.ledgers) {
    let running = 0;
    for (const entry of ledger) {
      running += entry.amount;
      expect(entry.balanceAfter, `ledger of ${organizationId} at ${entry.sk}`).toBe(running);
    }
    expect(next.balances.get(organizationId) ?? 0, `balance of ${organizationId}`).toBe(running);
    expect(running).toBeGreaterThanOrEqual(0);
  }
  // Every invoice total = its lines; paid means paid in full; numbers unique.
  const numbers = new Set<string>();
  for (const invoice of next.invoices.values()) {
    expect(invoice.total, `invoice ${invoice.number}`).toBe(sum(invoice.lines.map((l) => l.total)));
    expect(invoice.net).toBe(sum(invoice.lines.map((l) => l.net)));
    expect(invoice.vat).toBe(sum(invoice.lines.map((l) => l.vat)));
    expect(invoice.amountPaid).toBeLessThanOrEqual(invoice.total);
    if (invoice.status === 'paid') expect(invoice.amountPaid, `paid ${invoice.number}`).toBe(invoice.total);
    if (invoice.status === 'open')
      expect(invoice.amountPaid, `open ${invoice.number}`).toBeLessThan(invoice.total);
    expect(numbers.has(invoice.number), `number ${invoice.number} twice`).toBe(false);
    numbers.add(invoice.number);
  }
  // Money is conserved: what came in is on invoices, on balances, or was paid out.
  const onInvoices = sum(
    [...next.invoices.values()].filter((i) => i.status !== 'void').map((i) => i.amountPaid),
  );
  const onBalances = sum([...next.balances.values()]);
  expect(onInvoices + onBalances + model.withdrawn, 'money in = invoices paid + balances + withdrawals').toBe(
    model.bankIn,
  );
  model.snapshot = next;
  delete model.moved;
}

// ---- Commands ---------------------------------------------------------------------------------

const actor = (real: Real, key: AccountKey) => (key === 'B' ? real.lane.buyer : real.lane.owner);
const live = (model: Model, key: AccountKey) => !model.deleted.has(model.accounts[key]);
const productsOf = (model: Model, key: AccountKey) =>
  [...model.snapshot.products.values()].filter((p) => p.organizationId === model.accounts[key]);
const pick = <T>(list: T[], index: number): T | undefined => list[index % Math.max(list.length, 1)];

/** One thing that happens, then every invariant checked against the table. */
class Step implements fc.AsyncCommand<Model, Real> {
  readonly #label: string;
  readonly #act: (model: Model, real: Real) => Promise<void>;
  readonly #when: (model: Model) => boolean;
  constructor(
    label: string,
    act: (model: Model, real: Real) => Promise<void>,
    when: (model: Model) => boolean = () => true,
  ) {
    this.#label = label;
    this.#act = act;
    this.#when = when;
  }
  check(model: Readonly<Model>): boolean {
    return this.#when(model as Model);
  }
  async run(model: Model, real: Real): Promise<void> {
    await this.#act(model, real);
    checkInvariants(model, await snapshot(model));
  }
  toString(): string {
    return this.#label;
  }
}

type Method = 'iban' | 'qr-bill' | 'prepaid';
type CreditUse = 'none' | 'free' | 'partial';

const order = (key: AccountKey, type: ProductType, method: Method, credit: CreditUse, promo: boolean) =>
  new Step(
    `Order(${key}, ${type}, ${method}, credit ${credit}${promo ? ', promo' : ''})`,
    async (model, real) => {
      const organizationId = model.accounts[key];
      let creditId: string | undefined;
      if (credit !== 'none') {
        const granted = await api('POST', `/v1/staff/organizations/${organizationId}/credits`, {
          token: real.lane.staff.idToken,
          json: { productType: type, ...(credit === 'free' ? { freeMonths: 12 } : { amount: 500 }) },
        });
        creditId = (OK(granted, 201).body as { creditId: string }).creditId;
      }
      const name = type === 'domain' || type === 'mail-service' ? `m${randomUUID().slice(0, 8)}.ch` : 'site';
      const placed = await api('POST', '/v1/orders', {
        token: actor(real, key).idToken,
        headers: { 'idempotency-key': randomUUID() },
        json: {
          organizationId,
          items: [{ type, name, periodMonths: 12, ...(creditId ? { creditId } : {}) }],
          paymentMethod: method,
          ...(promo ? { promoCode: real.lane.promo } : {}),
        },
      });
      if (method === 'prepaid' && placed.status === 400) {
        expect(placed.body).toMatchObject({ errors: [{ pointer: '/body/paymentMethod' }] });
        return;
      }
      OK(placed, 201);
    },
    (model) => live(model, key),
  );

const quote = (key: AccountKey) =>
  new Step(
    `Quote(${key})`,
    async (model, real) => {
      const quoted = await api('POST', '/v1/orders/quote', {
        token: actor(real, key).idToken,
        json: {
          organizationId: model.accounts[key],
          items: [{ type: 'web-hosting', name: 'quoted', periodMonths: 12 }],
          paymentMethod: 'iban',
          promoCode: real.lane.promo,
        },
      });
      const body = OK(quoted, 200).body as { total: number; lines: { total: number }[] };
      expect(body.total).toBe(sum(body.lines.map((l) => l.total)));
    },
    (model) => live(model, key),
  );

const proForma = (key: AccountKey, invoices: number[], products: number[], method: 'iban' | 'qr-bill') =>
  new Step(
    `ProForma(${key}, invoices [${invoices}], products [${products}], ${method})`,
    async (model, real) => {
      const organizationId = model.accounts[key];
      const open = [...model.snapshot.invoices.values()].filter(
        (i) => i.organizationId === organizationId && i.status === 'open',
      );
      const invoiceIds = [...new Set(invoices.map((i) => pick(open, i)?.invoiceId).filter(Boolean))];
      const candidates = productsOf(model, key).filter((p) => p.status !== 'terminated');
      const productIds = [...new Set(products.map((i) => pick(candidates, i)?.productId).filter(Boolean))];
      if (invoiceIds.length + productIds.length === 0) return;
      const created = await api('POST', `/v1/organizations/${organizationId}/pro-formas`, {
        token: actor(real, key).idToken,
        json: { invoiceIds, productIds, paymentMethod: method },
      });
      const { proForma: made } = OK(created, 201).body as {
        proForma: { paymentReference: string; total: number };
      };
      model.proFormas.push({ organizationId, reference: made.paymentReference, total: made.total });
    },
    (model) => live(model, key),
  );

type PaymentKind = 'exact' | 'over' | 'under' | 'unknown' | 'replay';

/** Staff records one bank payment, and the model counts what came in for the accounts. */
async function recordPayment(model: Model, real: Real, reference: string, amount: number) {
  const json = { bankTransactionId: randomUUID(), reference, amount, currency: 'CHF' };
  const paid = await api('POST', '/v1/staff/bank-payments', { token: real.lane.staff.idToken, json });
  const answer = OK(paid, 200).body as {
    matched: boolean;
    organizationId: string | null;
    duplicate: boolean;
    renewedProducts: string[];
  };
  expect(answer.duplicate).toBe(false);
  if (answer.matched) {
    expect(model.deleted.has(String(answer.organizationId)), 'a deleted account takes no payment').toBe(
      false,
    );
    expect(Object.values(model.accounts)).toContain(answer.organizationId);
    model.bankIn += amount;
  }
  model.payments.push({ json, answer });
  return answer;
}

const pay = (kind: PaymentKind, target: number) =>
  new Step(`Pay(${kind}, ${target})`, async (model, real) => {
    if (kind === 'replay') {
      const first = pick(model.payments, target);
      if (!first) return;
      const again = await api('POST', '/v1/staff/bank-payments', {
        token: real.lane.staff.idToken,
        json: first.json,
      });
      expect(OK(again, 200).body, 'a replay answers what was recorded first').toEqual({
        ...(first.answer as object),
        duplicate: true,
      });
      return;
    }
    if (kind === 'unknown') {
      const reference = creditorReference(`X${randomUUID().replaceAll('-', '').slice(0, 18).toUpperCase()}`);
      expect((await recordPayment(model, real, reference, 1000)).matched, 'an unknown reference').toBe(false);
      return;
    }
    const references = [
      ...[...model.snapshot.invoices.values()].map((i) => ({
        reference: i.paymentReference,
        due: i.status === 'open' ? i.total - i.amountPaid : i.total,
      })),
      ...model.proFormas.map((p) => ({ reference: p.reference, due: p.total })),
    ];
    const chosen = pick(references, target);
    if (!chosen) return;
    const due = Math.max(1, chosen.due);
    const amount = kind === 'over' ? due + 1000 : kind === 'under' ? Math.max(1, Math.floor(due / 2)) : due;
    await recordPayment(model, real, chosen.reference, amount);
  });

const terminate = (key: AccountKey, index: number) =>
  new Step(
    `Terminate(${key}, ${index})`,
    async (model, real) => {
      const product = pick(productsOf(model, key), index);
      if (!product) return;
      const ended = await api(
        'POST',
        `/v1/organizations/${product.organizationId}/products/${product.productId}/termination`,
        { token: actor(real, key).idToken },
      );
      OK(ended, product.status === 'terminated' ? 409 : 200);
    },
    (model) => live(model, key),
  );

const transfer = (from: AccountKey, to: AccountKey, index: number) =>
  new Step(
    `Transfer(${from} → ${to}, ${index})`,
    async (model, real) => {
      const product = pick(productsOf(model, from), index);
      if (!product) return;
      const source = model.accounts[from];
      const target = model.accounts[to];
      const requested = await api('POST', `/v1/organizations/${source}/product-transfers`, {
        token: actor(real, from).idToken,
        json: { productIds: [product.productId], targetOrganizationId: target },
      });
      if (product.status === 'terminated') {
        OK(requested, 409);
        return;
      }
      // One owner administers A and C: the move is direct; B is someone else's: request, accept.
      const direct = from !== 'B' && to !== 'B';
      OK(requested, direct ? 200 : 202);
      if (direct) return;
      const { transferId } = requested.body as { transferId: string };
      const accepted = await api(
        'POST',
        `/v1/organizations/${target}/product-transfers/${transferId}/acceptance`,
        {
          token: actor(real, to).idToken,
        },
      );
      OK(accepted, 200);
    },
    (model) => from !== to && live(model, from) && live(model, to),
  );

const renew = (key: AccountKey, index: number) =>
  new Step(
    `Renew(${key}, ${index})`,
    async (model, real) => {
      const product = pick(
        productsOf(model, key).filter((p) => p.status !== 'terminated'),
        index,
      );
      if (!product) return;
      const created = await api('POST', `/v1/organizations/${product.organizationId}/pro-formas`, {
        token: actor(real, key).idToken,
        json: { productIds: [product.productId], paymentMethod: 'iban' },
      });
      const { proForma: made } = OK(created, 201).body as {
        proForma: { paymentReference: string; total: number };
      };
      const answer = await recordPayment(model, real, made.paymentReference, made.total);
      expect(answer.renewedProducts).toContain(product.productId);
    },
    (model) => live(model, key),
  );

const IBAN = 'CH93 0076 2011 6238 5295 7';

const withdraw = (key: AccountKey, share: number) =>
  new Step(
    `Withdraw(${key}, ${share > 1 ? 'more than the balance' : `${share * 100} %`})`,
    async (model, real) => {
      const organizationId = model.accounts[key];
      const balance = model.snapshot.balances.get(organizationId) ?? 0;
      const amount = share > 1 ? balance + 1 : Math.max(1, Math.floor(balance * share));
      const withdrawn = await api('POST', `/v1/organizations/${organizationId}/prepaid/withdrawals`, {
        token: actor(real, key).idToken,
        json: { amount, iban: IBAN, accountHolder: 'Ada Lovelace' },
      });
      OK(withdrawn, amount <= balance ? 201 : 409);
      if (withdrawn.status === 201) model.withdrawn += amount;
    },
    (model) => live(model, key),
  );

/** A deletion request: refused while a requirement is unmet; else confirmed by e-mail, and the account is gone. */
const deletion = (key: 'A' | 'C', settleFirst: boolean) =>
  new Step(
    `Delete(${key}${settleFirst ? ', settled first' : ''})`,
    async (model, real) => {
      const organizationId = model.accounts[key];
      const token = real.lane.owner.idToken;
      if (settleFirst) {
        for (const p of productsOf(model, key).filter((p) => p.status !== 'terminated')) {
          const path = `/v1/organizations/${organizationId}/products/${p.productId}/termination`;
          OK(await api('POST', path, { token }), 200);
        }
        for (const i of (await snapshot(model)).invoices.values()) {
          if (i.organizationId === organizationId && i.status === 'open') {
            await recordPayment(model, real, i.paymentReference, i.total - i.amountPaid);
          }
        }
        const balance = (await snapshot(model)).balances.get(organizationId) ?? 0;
        if (balance > 0) {
          const path = `/v1/organizations/${organizationId}/prepaid/withdrawals`;
          OK(
            await api('POST', path, { token, json: { amount: balance, iban: IBAN, accountHolder: 'A' } }),
            201,
          );
          model.withdrawn += balance;
        }
      }
      const requested = await api('POST', `/v1/organizations/${organizationId}/deletion`, { token });
      OK(requested, 202, 409);
      if (requested.status === 409) return;
      const name = `Run ${model.run} ${key}`;
      const confirmation = await waitForSubject(
        real.lane.owner.email,
        new RegExp(`^Confirm the deletion of ${name}$`),
      );
      const confirmed = await api('POST', '/v1/account-deletions/confirmations', {
        json: { token: linkToken(confirmation) },
      });
      OK(confirmed, 200);
      await waitForSubject(real.lane.owner.email, new RegExp(`account ${name} was deleted$`));
      model.deleted.add(organizationId);
    },
    (model) => live(model, key),
  );

let pastDays = 0;
/**
 * Time passes for one product: its term is moved to end on a day long past, unique to this step,
 * and the daily workflow runs the day after (it expires) or after the grace period (released).
 */
const timePasses = (key: AccountKey, index: number, until: 'expiry' | 'release') =>
  new Step(
    `TimePasses(${key}, ${index}, until ${until})`,
    async (model) => {
      const product = pick(
        productsOf(model, key).filter((p) => p.status !== 'terminated'),
        index,
      );
      if (!product) return;
      // 40 days apart: a run reaches 7 days back (catch-up) and a release comes 31 days after
      // expiry, so no step's runs can expire or release another step's product, in any lane.
      pastDays += 40;
      // Days of the 20th century: no other test runs a reminder day there, so no other run
      // expires or releases this lane's products behind the model's back (catch-up window).
      const day = addDays('1901-01-01', ((process.pid % 97) * 200 + pastDays) % 36_000);
      const stored = productItem.fromItem(
        (await table().get(productKeys(product.organizationId, product.productId))) ?? {},
      );
      await table().put(productItem.toItem({ ...stored, expiresOn: day }));
      model.moved = product.productId;
      expect((await runWorkflow('RenewalReminders', { day: addDays(day, 1) })).status).toBe('SUCCEEDED');
      if (until === 'release') {
        expect((await runWorkflow('RenewalReminders', { day: addDays(day, 31) })).status).toBe('SUCCEEDED');
        model.released.set(product.productId, day);
      }
    },
    (model) => live(model, key),
  );

/** Nothing of one account is visible from another (404 or 403, never the data). */
const lookAcross = () =>
  new Step('LookAcross', async (model, real) => {
    const a = model.accounts.A;
    const anInvoiceOfA = [...model.snapshot.invoices.values()].find((i) => i.organizationId === a);
    for (const path of [`/v1/organizations/${a}/products`, `/v1/organizations/${a}/prepaid`]) {
      const seen = await api('GET', path, { token: real.lane.outsider.idToken });
      expect([403, 404], `outsider reads ${path}`).toContain(seen.status);
    }
    if (anInvoiceOfA) {
      // The buyer administers B only: A's invoice through B's path is not there.
      const across = await api(
        'GET',
        `/v1/organizations/${model.accounts.B}/invoices/${anInvoiceOfA.invoiceId}`,
        {
          token: real.lane.buyer.idToken,
        },
      );
      expect(across.status).toBe(404);
    }
  });

const key = fc.constantFrom<AccountKey>('A', 'C', 'B');
const index = fc.nat({ max: 20 });

export const commands = fc.commands(
  [
    fc
      .tuple(
        key,
        fc.constantFrom(...ORDERABLE),
        fc.constantFrom<Method>('iban', 'qr-bill', 'prepaid'),
        fc.constantFrom<CreditUse>('none', 'none', 'free', 'partial'),
        fc.boolean(),
      )
      .map((args) => order(...args)),
    key.map(quote),
    fc
      .tuple(
        key,
        fc.array(index, { maxLength: 3 }),
        fc.array(index, { maxLength: 2 }),
        fc.constantFrom<'iban' | 'qr-bill'>('iban', 'qr-bill'),
      )
      .map((args) => proForma(...args)),
    fc
      .tuple(fc.constantFrom<PaymentKind>('exact', 'exact', 'over', 'under', 'unknown', 'replay'), index)
      .map((args) => pay(...args)),
    fc.tuple(key, index).map((args) => terminate(...args)),
    fc.tuple(key, key, index).map((args) => transfer(...args)),
    fc.tuple(key, index).map((args) => renew(...args)),
    fc.tuple(key, fc.constantFrom(0.5, 1, 2)).map((args) => withdraw(...args)),
    // The two slow ones (a workflow runs) share a slot: each comes half as often.
    fc.oneof(
      fc.tuple(fc.constantFrom<'A' | 'C'>('A', 'C'), fc.boolean()).map((args) => deletion(...args)),
      fc
        .tuple(key, index, fc.constantFrom<'expiry' | 'release'>('expiry', 'release'))
        .map((args) => timePasses(...args)),
    ),
    fc.constant(null).map(lookAcross),
  ],
  { maxCommands: 10 },
);

/** A run's accounts: A and C of the owner (each with a domain), B of the buyer; their first snapshot. */
export async function setup(lane: Lane, run: number): Promise<{ model: Model; real: Real }> {
  // One call each: the first order creates the account, its address and a domain (R3).
  const create = async (login: Login, name: string) => {
    const placed = await api('POST', '/v1/orders', {
      token: login.idToken,
      headers: { 'idempotency-key': randomUUID() },
      json: {
        newAccount: { holder: { kind: 'company', businessName: name } },
        items: [{ type: 'domain', name: `r${run}-${randomUUID().slice(0, 6)}.ch`, periodMonths: 12 }],
        paymentMethod: 'iban',
        billingAddress: ADDRESS,
      },
    });
    return (OK(placed, 201).body as { organizationId: string }).organizationId;
  };
  const accounts = {
    A: await create(lane.owner, `Run ${run} A`),
    C: await create(lane.owner, `Run ${run} C`),
    B: await create(lane.buyer, `Run ${run} B`),
  };
  const model: Model = {
    run,
    accounts,
    deleted: new Set(),
    bankIn: 0,
    withdrawn: 0,
    payments: [],
    proFormas: [],
    terminated: new Set(),
    released: new Map(),
    snapshot: { products: new Map(), invoices: new Map(), balances: new Map(), ledgers: new Map() },
  };
  model.snapshot = await snapshot(model);
  return { model, real: { lane } };
}
