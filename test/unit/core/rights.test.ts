import { describe, expect, it } from 'vitest';
import type { Membership } from '../../../functions/core/entities/membership.ts';
import {
  assertCanManageMembers,
  canManageProduct,
  hasBilling,
  normalizeRights,
  roleOf,
} from '../../../functions/core/rights.ts';

/** The rights rules of R7/R8, as pure decisions (the routes enforce them: members.test.ts). */
const member = (rights: Partial<ReturnType<typeof normalizeRights>>): Membership => ({
  organizationId: 'o',
  organizationName: 'O',
  userId: 'u',
  email: 'u@example.com',
  joinedAt: '2026-01-01T00:00:00Z',
  rights: { legalRepresentative: false, admin: false, billing: false, products: [], ...rights },
});

describe('rights (R7, R8)', () => {
  it('gives the legal representative every right, and an admin billing and every product', () => {
    expect(
      normalizeRights({ legalRepresentative: true, admin: false, billing: false, products: [] }),
    ).toEqual({
      legalRepresentative: true,
      admin: true,
      billing: true,
      products: 'all',
    });
    expect(normalizeRights({ admin: true, billing: false, products: ['p1'] })).toEqual({
      legalRepresentative: false,
      admin: true,
      billing: true,
      products: 'all',
    });
  });

  it('keeps a member’s rights as granted: billing or not, some products or all', () => {
    expect(normalizeRights({ admin: false, billing: false, products: ['p1'] })).toEqual({
      legalRepresentative: false,
      admin: false,
      billing: false,
      products: ['p1'],
    });
    expect(normalizeRights({ admin: false, billing: true, products: 'all' })).toMatchObject({
      billing: true,
      products: 'all',
    });
  });

  it('names the role by the highest right', () => {
    expect(
      roleOf(normalizeRights({ legalRepresentative: true, admin: true, billing: true, products: 'all' })),
    ).toBe('legalRepresentative');
    expect(roleOf(normalizeRights({ admin: true, billing: true, products: 'all' }))).toBe('admin');
    expect(roleOf(normalizeRights({ admin: false, billing: true, products: 'all' }))).toBe('member');
  });

  it('lets only admins and the legal representative manage users (403 otherwise)', () => {
    expect(() => assertCanManageMembers(member({ admin: true }))).not.toThrow();
    expect(() => assertCanManageMembers(member({ legalRepresentative: true }))).not.toThrow();
    expect(() => assertCanManageMembers(member({ billing: true, products: 'all' }))).toThrow(
      'Only an admin or the legal representative',
    );
  });

  it('lets a member manage only the products granted, an admin all of them', () => {
    expect(canManageProduct(member({ products: ['p1'] }).rights, 'p1')).toBe(true);
    expect(canManageProduct(member({ products: ['p1'] }).rights, 'p2')).toBe(false);
    expect(canManageProduct(member({ products: 'all' }).rights, 'p2')).toBe(true);
    expect(canManageProduct(member({ admin: true, products: [] }).rights, 'p2')).toBe(true);
  });

  it('gives billing to members granted it and to admins', () => {
    expect(hasBilling(member({}).rights)).toBe(false);
    expect(hasBilling(member({ billing: true }).rights)).toBe(true);
    expect(hasBilling(member({ admin: true }).rights)).toBe(true);
  });
});
