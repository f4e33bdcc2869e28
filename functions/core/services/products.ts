import type { Caller } from '../caller.ts';
import { mapLimit } from '../concurrency.ts';
import { answerPage } from '../cursor.ts';
import { addDays, today } from '../dates.ts';
import type { GrantableRights } from '../entities/membership.ts';
import { type Product, productItem, productKeys, type TransferRequest } from '../entities/product.ts';
import { Conflict, NotFound, ValidationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import { DEFAULT_STAGES, nextStage } from '../reminders.ts';
import { getMembership, getOrganization, setReminderStages } from '../repositories/organizations.ts';
import {
  changeProductStatus,
  getProduct,
  getTransferRequest,
  listProducts,
  listProductsPage,
  listTransferRequests,
  moveProducts,
  productsByIdPage,
  putTransferRequest,
  setNextReminder,
} from '../repositories/products.ts';
import { addStagesInUse } from '../repositories/reminders.ts';
import { withoutRenewal } from '../repositories/renewal-release.ts';
import { canManageProduct } from '../rights.ts';
import type { PageQuery } from '../schemas.ts';
import { authorizedTarget, memberOf, requireAdmin, requireMember } from './organizations.ts';
import { releasesOf } from './renewal-release.ts';

/** R7: the products a member may manage — all for admins and "all products" members. */
export async function listMyProducts(caller: Caller, organizationId: string, query: PageQuery) {
  const { rights } = await requireMember(caller, organizationId);
  // A member with some products reads just those; the cursor is the same kind of key either way.
  return answerPage(`products:${organizationId}`, query, (page) =>
    // Stryker disable next-line LogicalOperator: equivalent — an admin's rights always name all products (normalizeRights)
    rights.admin || rights.products === 'all'
      ? listProductsPage(organizationId, page)
      : productsByIdPage(organizationId, rights.products, page),
  );
}

async function requireProduct(caller: Caller, organizationId: string, productId: string): Promise<Product> {
  const missing = `No product ${productId}.`;
  const { membership, target } = await authorizedTarget(caller, organizationId, memberOf, {
    key: productKeys(organizationId, productId),
    decode: productItem.fromItem,
    missing,
  });
  // A product the member may not manage is, for them, not there.
  if (!canManageProduct(membership.rights, productId)) throw new NotFound(missing);
  return target;
}

export const getMyProduct = requireProduct;

/**
 * R7/R9: the products a grant names must be this account's, and not terminated; each once.
 * A grant of another account's product id would otherwise reach it the day it is transferred here.
 */
export async function ownProductGrant(
  organizationId: string,
  grant: GrantableRights,
  pointer: string,
): Promise<GrantableRights> {
  if (grant.products === 'all' || grant.products.length === 0) return grant;
  const own = new Set(
    (await listProducts(organizationId)).filter((p) => p.status !== 'terminated').map((p) => p.productId),
  );
  const foreign = grant.products.flatMap((id, i) =>
    own.has(id) ? [] : [{ pointer: `${pointer}/${i}`, detail: `No product ${id} in this account.` }],
  );
  if (foreign.length > 0) throw new ValidationFailed(foreign);
  return { ...grant, products: [...new Set(grant.products)] };
}

/**
 * R14: a product can be terminated; it then gets no more reminders or renewals, and a renewal
 * invoice waiting for it is voided (what was paid on it goes to the prepaid balance).
 */
export async function terminate(caller: Caller, organizationId: string, productId: string): Promise<Product> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const product = await requireProduct(caller, organizationId, productId);
    if (product.status === 'terminated') throw new Conflict('The product is already terminated.');
    const [release] = await releasesOf([product]);
    const { nextReminder: _, ...rest } = withoutRenewal(product);
    const ended: Product = {
      ...rest,
      status: 'terminated',
      terminatedAt: new Date().toISOString(),
      endedBy: 'customer',
    };
    if (await changeProductStatus(product, ended, release, caller.userId)) return ended;
  }
  throw new Conflict('The product changed meanwhile; reload and try again.');
}

/**
 * R13: products move to another account at once when the actor is an admin of both accounts;
 * otherwise a request waits for an admin of the target. Members and past invoices stay.
 */
export async function transferProducts(
  caller: Caller,
  organizationId: string,
  request: { productIds: string[]; targetOrganizationId: string },
): Promise<{ status: 'transferred' } | { status: 'requested'; transferId: string }> {
  await requireAdmin(caller, organizationId);
  if (request.targetOrganizationId === organizationId) {
    throw new ValidationFailed([
      { pointer: '/body/targetOrganizationId', detail: 'The products are already there.' },
    ]);
  }
  // At most MAX_TRANSFER_PRODUCTS: the route's schema counts them before they are deduplicated.
  const ids = [...new Set(request.productIds)];
  const products = await Promise.all(ids.map((id) => getProduct(organizationId, id)));
  const missing = ids.filter((_, i) => !products[i]);
  if (missing.length) throw new NotFound(`No product ${missing.join(', ')} in this account.`);
  const found = products as Product[];
  if (found.some((p) => p.status === 'terminated'))
    throw new Conflict('Terminated products cannot be transferred.');

  const target = await getMembership(request.targetOrganizationId, caller.userId);
  if (target?.rights.admin) {
    const moving = await withTargetReminders(found, request.targetOrganizationId);
    if (!(await moveProducts(moving, request.targetOrganizationId, caller.userId, await releasesOf(found)))) {
      throw new Conflict('A product changed meanwhile; reload and try again.');
    }
    return { status: 'transferred' };
  }
  const transfer: TransferRequest = {
    transferId: newId(),
    sourceOrganizationId: organizationId,
    targetOrganizationId: request.targetOrganizationId,
    productIds: ids,
    requestedBy: caller.userId,
    status: 'pending',
    createdAt: new Date().toISOString(),
  };
  await putTransferRequest(transfer);
  return { status: 'requested', transferId: transfer.transferId };
}

/** Reminders follow the product (R13) on the target account's stages (R25). */
async function withTargetReminders(products: Product[], targetOrganizationId: string): Promise<Product[]> {
  const target = await getOrganization(targetOrganizationId);
  // Stryker disable next-line OptionalChaining: equivalent — the rights check before it read the caller's membership of the target (an admin moving at once, or accepting): the target exists
  const stages = target?.reminderStages ?? DEFAULT_STAGES;
  const from = addDays(today(), 1);
  return products.map((p) => {
    const { nextReminder: _, ...rest } = p;
    const next = nextStage(p.expiresOn, stages, from);
    return next ? { ...rest, nextReminder: next } : rest;
  });
}

/** The transfer requests waiting for this account's admins. */
export async function listIncomingTransfers(caller: Caller, organizationId: string, query: PageQuery) {
  await requireAdmin(caller, organizationId);
  return answerPage(`transfers:${organizationId}`, query, (page) =>
    listTransferRequests(organizationId, page),
  );
}

/** An admin of the target accepts a transfer request; the products move in one transaction. */
export async function acceptTransfer(caller: Caller, organizationId: string, transferId: string) {
  await requireAdmin(caller, organizationId);
  const transfer = await getTransferRequest(organizationId, transferId);
  if (!transfer) throw new NotFound(`No transfer request ${transferId}.`);
  if (transfer.status !== 'pending') throw new Conflict(`The transfer request is ${transfer.status}.`);
  const products = await Promise.all(
    transfer.productIds.map((id) => getProduct(transfer.sourceOrganizationId, id)),
  );
  if (products.some((p) => !p || p.status === 'terminated')) {
    throw new Conflict('Some products of this request are no longer in the source account.');
  }
  const moving = await withTargetReminders(products as Product[], organizationId);
  if (
    !(await moveProducts(
      moving,
      organizationId,
      caller.userId,
      await releasesOf(products as Product[]),
      transfer,
    ))
  ) {
    throw new Conflict('A product or the request changed meanwhile; reload and try again.');
  }
  return { ...transfer, status: 'accepted' as const };
}

/**
 * R25: an account chooses its own reminder stages (or goes back to the defaults with null);
 * every product's next reminder follows from tomorrow on.
 */
export async function chooseReminderStages(caller: Caller, organizationId: string, stages: number[] | null) {
  await requireAdmin(caller, organizationId);
  // Registered before any product is moved to them, so that a run always reads their terms.
  if (stages) await addStagesInUse(stages);
  await setReminderStages(organizationId, stages);
  const effective = stages ?? DEFAULT_STAGES;
  const from = addDays(today(), 1);
  const products = (await listProducts(organizationId)).filter((p) => p.status !== 'terminated');
  // Ten at a time, not one after another (issue 16): an account may hold hundreds of products.
  await mapLimit(products, 10, (product) =>
    setNextReminder(product, nextStage(product.expiresOn, effective, from)),
  );
  return { stages: effective, custom: stages !== null, productsRescheduled: products.length };
}
