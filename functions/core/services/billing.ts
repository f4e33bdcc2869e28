import * as z from 'zod/mini';
import type { Caller } from '../caller.ts';
import { answerPage } from '../cursor.ts';
import type {
  BillingAddress,
  BillingAddressInput,
  Credit,
  CreditGrant,
  PromoCodeInput,
} from '../entities/billing.ts';
import { addressItem, addressKeys } from '../entities/billing.ts';
import { newLedgerEntry } from '../entities/invoice.ts';
import { organizationItem, organizationKeys } from '../entities/organization.ts';
import { Conflict, NotFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { MinorUnits } from '../money.ts';
import { isValidIban } from '../payment-reference.ts';
import {
  listAddresses,
  listCreditsPage,
  putAddress,
  putCredit,
  putPromoCode,
  replaceAddress,
  setDefaultAddress,
} from '../repositories/billing.ts';
import { getOrganization } from '../repositories/organizations.ts';
import { commitWithdrawal, listLedger } from '../repositories/payments.ts';
import { pageOf } from '../repositories/table.ts';
import { type PageQuery, Text } from '../schemas.ts';
import {
  accountFound,
  authorizedTarget,
  billingMemberOf,
  requireAdmin,
  requireBilling,
} from './organizations.ts';

// ---- Billing addresses (R20) ----------------------------------------------------------------

export async function listBillingAddresses(caller: Caller, organizationId: string, query: PageQuery) {
  await requireBilling(caller, organizationId);
  return answerPage(`addresses:${organizationId}`, query, async (page) => {
    const [addresses, organization] = await Promise.all([
      listAddresses(organizationId, page),
      getOrganization(organizationId),
    ]);
    return pageOf(addresses, (a) => ({
      ...a,
      default: a.addressId === organization?.defaultBillingAddressId,
    }));
  });
}

/** Adds an address; the account's first address becomes its default. */
export async function addBillingAddress(caller: Caller, organizationId: string, input: BillingAddressInput) {
  await requireBilling(caller, organizationId);
  const address: BillingAddress = { addressId: newId(), ...input };
  await putAddress(organizationId, address);
  return address;
}

/** Edits an address; invoices already issued keep the copy they were issued with (R20). */
export async function editBillingAddress(
  caller: Caller,
  organizationId: string,
  addressId: string,
  input: BillingAddressInput,
) {
  // The account comes with the authorization: whether this address is its default.
  const { target: account } = await authorizedTarget(caller, organizationId, billingMemberOf, {
    key: organizationKeys(organizationId),
    decode: organizationItem.fromItem,
    missing: `No customer account ${organizationId}.`,
  });
  const address: BillingAddress = { addressId, ...input };
  const outcome = await replaceAddress(organizationId, address, account.defaultBillingAddressId);
  if (outcome === 'missing') throw new NotFound(`No billing address ${addressId}.`);
  if (outcome === 'busy') {
    throw new Conflict('The default billing address kept changing during this edit; try again in a moment.');
  }
  return address;
}

export async function chooseDefaultAddress(caller: Caller, organizationId: string, addressId: string) {
  const { target: address } = await authorizedTarget(caller, organizationId, billingMemberOf, {
    key: addressKeys(organizationId, addressId),
    decode: addressItem(organizationId).fromItem,
    missing: `No billing address ${addressId}.`,
  });
  if (!(await setDefaultAddress(organizationId, address))) {
    throw new Conflict('The address was changed or removed meanwhile; reload and try again.');
  }
  return { defaultBillingAddressId: addressId };
}

// ---- Free credits (R16) and promo codes (R17), granted by staff ------------------------------

/** Staff grant a credit to one account for one product type. */
export async function grantCredit(
  caller: Caller,
  organizationId: string,
  grant: z.infer<typeof CreditGrant>,
) {
  const organization = accountFound(await getOrganization(organizationId), organizationId);
  const credit: Credit = {
    creditId: newId(),
    organizationId,
    productType: grant.productType,
    ...(grant.amount ? { amount: { amount: grant.amount, currency: organization.currency } } : {}),
    ...(grant.freeMonths ? { freeMonths: grant.freeMonths } : {}),
    ...(grant.note ? { note: grant.note } : {}),
    grantedBy: caller.userId,
    grantedAt: new Date().toISOString(),
  };
  await putCredit(credit);
  return credit;
}

/** The account's credits, available first (the cart offers these per eligible item). */
export async function listAccountCredits(caller: Caller, organizationId: string, query: PageQuery) {
  await requireBilling(caller, organizationId);
  return answerPage(`credits:${organizationId}`, query, async (page) =>
    pageOf(await listCreditsPage(organizationId, page), (c) => ({ ...c, available: !c.consumedByInvoice })),
  );
}

export async function createPromoCode(input: PromoCodeInput) {
  const promo = { ...input, redemptions: 0 };
  if (!(await putPromoCode(promo))) throw new Conflict(`The promo code ${input.code} exists already.`);
  return promo;
}

// ---- Prepaid balance (R18) ------------------------------------------------------------------

export async function prepaidStatement(caller: Caller, organizationId: string, query: PageQuery) {
  // The account comes with the authorization (one request), then its ledger's page.
  const { target: account } = await authorizedTarget(caller, organizationId, billingMemberOf, {
    key: organizationKeys(organizationId),
    decode: organizationItem.fromItem,
    missing: `No customer account ${organizationId}.`,
  });
  const ledger = await answerPage(`ledger:${organizationId}`, query, (page) =>
    listLedger(organizationId, page),
  );
  return {
    balance: account.prepaidBalance,
    currency: account.currency,
    entries: ledger.items,
    nextCursor: ledger.nextCursor,
  };
}

const Iban = z
  .pipe(
    z.string(),
    // Stryker disable next-line Regex: equivalent — removing each space or each run of spaces leaves the same IBAN
    z.transform((v) => v.replace(/\s+/g, '').toUpperCase()),
  )
  .check(z.refine(isValidIban, 'Not a valid IBAN.'));

export const WithdrawalRequest = z.strictObject({
  amount: MinorUnits.check(z.positive()),
  iban: Iban,
  accountHolder: Text(70),
});

/**
 * R18: the balance can be withdrawn to a bank account. Admins only: it moves money out of the
 * account. The payout itself is done by accounting from the recorded request.
 */
export async function withdraw(
  caller: Caller,
  organizationId: string,
  request: z.infer<typeof WithdrawalRequest>,
) {
  await requireAdmin(caller, organizationId);
  // The balance may move between reading it and withdrawing (a payment, an order): read again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const account = accountFound(await getOrganization(organizationId), organizationId);
    if (request.amount > account.prepaidBalance) {
      throw new Conflict('The prepaid balance does not cover this amount.');
    }
    const before = account.prepaidBalance;
    const entry = newLedgerEntry(-request.amount, account.currency, 'withdrawal', before - request.amount);
    const payout = { iban: request.iban, accountHolder: request.accountHolder, requestedBy: caller.userId };
    if (await commitWithdrawal(organizationId, before, entry, payout)) {
      return { balance: entry.balanceAfter, currency: account.currency, entry };
    }
  }
  throw new Conflict(
    'The prepaid balance kept changing while this withdrawal was recorded; try again in a moment.',
  );
}
