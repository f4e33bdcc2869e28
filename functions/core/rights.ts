import type { GrantableRights, Membership, Rights, Role } from './entities/membership.ts';
import { Forbidden } from './errors.ts';

/**
 * The rights rules of R7/R8, pure: they decide, repositories enforce atomically.
 */

/** The legal representative has every right; an admin has all rights (billing and every product). */
export function normalizeRights(rights: GrantableRights & { legalRepresentative?: boolean }): Rights {
  const legalRepresentative = rights.legalRepresentative ?? false;
  const admin = legalRepresentative || rights.admin;
  return {
    legalRepresentative,
    admin,
    billing: admin || rights.billing,
    products: admin ? 'all' : rights.products,
  };
}

/** The legal representative's rights (R3, R11): every one. A new object each time: callers store it. */
export const legalRepresentativeRights = (): Rights => ({
  legalRepresentative: true,
  admin: true,
  billing: true,
  products: 'all',
});

export const roleOf = (rights: Rights): Role =>
  rights.legalRepresentative ? 'legalRepresentative' : rights.admin ? 'admin' : 'member';

/** R8: only an admin or the legal representative may invite, change rights or remove members. */
export function assertCanManageMembers(actor: Membership): void {
  if (!actor.rights.admin && !actor.rights.legalRepresentative) {
    throw new Forbidden('Only an admin or the legal representative of this account may manage its users.');
  }
}

/** R7: may this member manage the product? */
export function canManageProduct(rights: Rights, productId: string): boolean {
  return rights.admin || rights.products === 'all' || rights.products.includes(productId);
}

/** R7: may this member see invoices, pay and order? */
export const hasBilling = (rights: Rights): boolean => rights.admin || rights.billing;
