import { createHash } from 'node:crypto';
import type { Caller, EmailSource } from '../caller.ts';
import { addDays, termEnd, today } from '../dates.ts';
import type { BillingAddress, Credit, PromoCode } from '../entities/billing.ts';
import { type Invoice, newLedgerEntry } from '../entities/invoice.ts';
import type { Membership } from '../entities/membership.ts';
import type { Organization } from '../entities/organization.ts';
import type { Product } from '../entities/product.ts';
import { Conflict, HttpError, NotFound, ValidationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import { count } from '../metrics.ts';
import { type PricedCart, priceCart } from '../pricing.ts';
import { DEFAULT_STAGES, nextStage } from '../reminders.ts';
import { defaultAddressFor, listCredits } from '../repositories/billing.ts';
import {
  commitOrder,
  getIdempotencyRecord,
  type OrderFailure,
  readForOrder,
} from '../repositories/orders.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { numberedInvoice, withNextInvoiceNumber } from './invoicing.ts';
import type { OrderRequest } from './order-request.ts';
import { billingMemberOf, newOrganization } from './organizations.ts';

interface PreparedOrder {
  organization: Organization;
  founder?: Membership;
  address: BillingAddress;
  newAddress?: BillingAddress;
  priced: PricedCart;
  credits: Credit[];
  promo?: PromoCode;
}

/**
 * Everything an order needs, read and priced; nothing written. Bad input → ValidationFailed.
 * One consistent BatchGetItem reads what the request names (readForOrder); only an order to
 * the account's default address reads that address after it. `allCredits`: the account's
 * credits, when the caller listed them already (the quote shows them).
 */
async function prepare(
  caller: Caller,
  request: OrderRequest,
  founderEmail: EmailSource,
  options: { counter: boolean; allCredits?: Credit[] },
): Promise<PreparedOrder & { counter?: number }> {
  const existing = request.newAccount ? undefined : String(request.organizationId);
  // Stryker disable next-line MethodExpression: equivalent — a key that names no credit reads nothing
  const named = [...new Set(request.items.map((item) => item.creditId).filter((id) => id !== undefined))];
  const read = await readForOrder({
    ...(existing ? { organizationId: existing } : {}),
    userId: caller.userId,
    ...(request.billingAddressId ? { addressId: request.billingAddressId } : {}),
    // Stryker disable next-line ArrayDeclaration: equivalent — a key that names no credit reads nothing
    creditIds: options.allCredits ? [] : named,
    ...(request.promoCode ? { promoCode: request.promoCode } : {}),
    counter: options.counter,
  });
  let organization: Organization;
  let founder: Membership | undefined;
  if (request.newAccount) {
    ({ organization, membership: founder } = newOrganization(
      caller,
      await founderEmail(),
      request.newAccount.holder,
      request.newAccount.currency,
    ));
  } else {
    billingMemberOf(read.membership, String(existing));
    // Stryker disable next-line all: unreachable — memberships go before the account item changes, and that item is kept (R28)
    if (!read.organization) throw new NotFound('No such customer account.');
    organization = read.organization;
  }
  let address: BillingAddress | undefined;
  let newAddress: BillingAddress | undefined;
  if (request.billingAddress) {
    newAddress = { addressId: newId(), ...request.billingAddress };
    address = newAddress;
  } else {
    // The default address comes with the account (its copy).
    address = request.billingAddressId
      ? read.address
      : await defaultAddressFor(organization, read.defaultAddress);
    if (!address) {
      throw new ValidationFailed([
        {
          pointer: request.billingAddressId ? '/body/billingAddressId' : '/body/billingAddress',
          detail: request.billingAddressId
            ? 'No such billing address on this account.'
            : 'A billing address is needed.',
        },
      ]);
    }
  }

  // Stryker disable next-line ArrayDeclaration: equivalent — a new account's items name no credit it has
  const available = founder ? [] : (options.allCredits ?? read.credits).filter((c) => !c.consumedByInvoice);
  const promo = read.promo;
  if (request.promoCode && !promo) {
    throw new ValidationFailed([{ pointer: '/body/promoCode', detail: 'This promo code does not exist.' }]);
  }
  const priced = priceCart(request.items, {
    currency: organization.currency,
    credits: new Map(available.map((c) => [c.creditId, c])),
    ...(promo ? { promo } : {}),
    now: new Date(),
  });
  if (request.paymentMethod === 'prepaid' && priced.total > organization.prepaidBalance) {
    priced.problems.push({
      pointer: '/body/paymentMethod',
      detail: 'The prepaid balance does not cover this order.',
    });
  }
  // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent — every credit has an id, so none matches undefined
  const creditIds = new Set(priced.lines.map((l) => l.creditId).filter((id) => id !== undefined));
  return {
    organization,
    ...(founder ? { founder } : {}),
    address,
    ...(newAddress ? { newAddress } : {}),
    priced,
    // Stryker disable next-line MethodExpression: equivalent — an order reads only the credits it names, each of which discounts its line or is refused (400)
    credits: available.filter((c) => creditIds.has(c.creditId)),
    ...(promo ? { promo } : {}),
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ObjectLiteral: cost only — without it the commit reads the counter again (one GetItem, which names no account, so the request-count test cannot single it out among concurrent orders; the bench counts it)
    ...(read.counter === undefined ? {} : { counter: read.counter }),
  };
}

/** For the cart page: prices, discounts and, per item, the credits it could use (R16). */
export async function quote(caller: Caller, request: OrderRequest) {
  // The cart shows every credit an item could use: listed once, then priced from that list.
  // Stryker disable next-line ArrayDeclaration: equivalent — a string is no credit of any product type, so no line offers it
  const allCredits = request.organizationId ? await listCredits(String(request.organizationId)) : [];
  // A quote stores nothing: the account it would found needs no founder address.
  // Stryker disable next-line all: equivalent — a quote returns no founder
  const prepared = await prepare(caller, request, async () => caller.email ?? '(quote)', {
    counter: false,
    allCredits,
  });
  const available = allCredits.filter((c) => !c.consumedByInvoice);
  return {
    currency: prepared.organization.currency,
    lines: prepared.priced.lines.map((line, i) => {
      // Stryker disable next-line OptionalChaining: equivalent — one line per item
      const type = request.items[i]?.type;
      return {
        ...line,
        availableCredits: available
          .filter((c) => c.productType === type)
          .map((c) => ({ creditId: c.creditId, amount: c.amount, freeMonths: c.freeMonths, note: c.note })),
      };
    }),
    net: prepared.priced.net,
    vat: prepared.priced.vat,
    total: prepared.priced.total,
    problems: prepared.priced.problems,
  };
}

const FAILURES: Record<Exclude<OrderFailure, 'counter'>, string> = {
  // The same key committed meanwhile (a client's retry raced its first request): placeOrder
  // answers from that key's record, so this is seen only if the record is gone.
  idempotency: 'This Idempotency-Key is in use.',
  credit: 'A credit in this order has just been used by another order.',
  'promo-total': 'This promo code has been fully redeemed.',
  'promo-account': 'This account has already used this promo code as often as it may.',
  balance: 'The prepaid balance does not cover this order.',
};

const hashRequest = (request: OrderRequest) =>
  createHash('sha256').update(JSON.stringify(request)).digest('hex');

/**
 * R15: places an order. Idempotent per (user, Idempotency-Key): a retry with the same body
 * gets the first answer; the same key with another body is a conflict.
 */
export async function placeOrder(
  caller: Caller,
  request: OrderRequest,
  idempotencyKey: string,
  founderEmail: EmailSource,
) {
  const requestHash = hashRequest(request);
  /** The first answer to this key, if an order committed with it (read only when needed). */
  const replay = async () => {
    const record = await getIdempotencyRecord(caller.userId, idempotencyKey);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) return 'other-order' as const;
    return record.response as OrderResponse;
  };
  try {
    return await place(caller, request, idempotencyKey, requestHash, founderEmail);
  } catch (error) {
    // A retry whose first attempt committed finds the account changed by its own order (the
    // balance, a credit, the promo code used): it gets the first answer, not a refusal. The
    // idempotency record is read only on this path and on the commit's own conflict.
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: cost only — a failure that is not the client's would read the key's record first: none committed (the same error follows), or the first answer, which the client's retry gets anyway
    if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
    const stored = await replay();
    if (stored === 'other-order') throw new Conflict('This Idempotency-Key was used for a different order.');
    if (stored) return stored;
    throw error;
  }
}

async function place(
  caller: Caller,
  request: OrderRequest,
  idempotencyKey: string,
  requestHash: string,
  founderEmail: EmailSource,
): Promise<OrderResponse> {
  const prepared = await prepare(caller, request, founderEmail, { counter: true });
  if (prepared.priced.problems.length) throw new ValidationFailed(prepared.priced.problems);
  let counterRead = prepared.counter;
  const commit = () =>
    withNextInvoiceNumber(async (number, counter) => {
      const { invoice, products } = buildOrder(prepared, request, number);
      const response: OrderResponse = { organizationId: invoice.organizationId, invoice, products };
      const committed = await commitOrder({
        organization: prepared.organization,
        ...(prepared.founder ? { founder: prepared.founder } : {}),
        ...(prepared.newAddress ? { newAddress: prepared.newAddress } : {}),
        products,
        invoice,
        counter,
        credits: prepared.credits,
        ...(prepared.promo ? { promo: prepared.promo } : {}),
        ...(request.paymentMethod === 'prepaid'
          ? {
              prepaid: {
                before: prepared.organization.prepaidBalance,
                entry: newLedgerEntry(
                  -invoice.total,
                  invoice.currency,
                  'order',
                  prepared.organization.prepaidBalance - invoice.total,
                  invoice.number,
                ),
              },
            }
          : {}),
        idempotency: { key: idempotencyKey, requestHash, response },
        actorId: caller.userId,
      });
      return committed.ok ? { ok: true as const, value: response } : committed;
    }, counterRead);
  let outcome = await commit();
  // A later commit reads the counter again: the one read with the order is spent.
  counterRead = undefined;
  // R18: the balance moved meanwhile (another payment or order): from the new balance, if it still covers the order.
  for (let attempt = 0; !outcome.ok && outcome.reason === 'balance'; attempt++) {
    if (attempt === 4) {
      throw new Conflict(
        'The prepaid balance kept changing while this order was placed; try again in a moment.',
      );
    }
    const fresh = await getOrganization(prepared.organization.organizationId);
    if (!fresh || fresh.prepaidBalance < prepared.priced.total) break;
    prepared.organization = fresh;
    outcome = await commit();
  }
  if (outcome.ok) {
    const about = { organizationId: outcome.value.organizationId };
    count('OrdersPlaced', 1, about);
    // R18: an order from the prepaid balance, or with nothing to pay, is paid as it is placed.
    if (outcome.value.invoice.status === 'paid') count('InvoicesPaid', 1, about);
    return outcome.value;
  }
  throw new Conflict(FAILURES[outcome.reason]);
}

export interface OrderResponse {
  organizationId: string;
  invoice: Invoice;
  products: Product[];
}

function buildOrder(prepared: PreparedOrder, request: OrderRequest, number: number) {
  const { organization, priced, address } = prepared;
  const orgId = organization.organizationId;
  const now = new Date();
  const day = today(now);
  const stages = organization.reminderStages ?? DEFAULT_STAGES;
  const products: Product[] = request.items.map((item, i) => {
    const expiresOn = termEnd(day, item.periodMonths);
    const nextReminder = nextStage(expiresOn, stages, addDays(day, 1));
    return {
      productId: newId(),
      organizationId: orgId,
      type: item.type,
      name: item.name,
      status: 'active',
      expiresOn,
      renewalPeriodMonths: item.periodMonths,
      price: { amount: priced.lines[i]?.gross ?? 0, currency: organization.currency },
      createdAt: now.toISOString(),
      ...(nextReminder ? { nextReminder } : {}),
    };
  });
  const invoice = numberedInvoice(
    {
      organizationId: orgId,
      kind: 'order',
      currency: organization.currency,
      // Stryker disable next-line StringLiteral: equivalent — one product per line
      lines: priced.lines.map((line, i) => ({ ...line, productId: products[i]?.productId ?? '' })),
      net: priced.net,
      vat: priced.vat,
      total: priced.total,
      paymentMethod: request.paymentMethod,
      billingAddress: address,
      ...(request.promoCode && prepared.promo ? { promoCode: request.promoCode } : {}),
      // R18: an order from the prepaid balance is paid as it is placed.
      paidNow: request.paymentMethod === 'prepaid',
    },
    number,
    now,
  );
  return { invoice, products };
}
