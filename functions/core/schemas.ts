import * as z from 'zod';

/** Request pieces shared by several routes. */
/** The one id schema: ULIDs, Crockford's base 32 (sortable by creation). */
export const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Expected an id (ULID).');
export const OrganizationId = Ulid.describe('An organization id (ULID).');
export const InvitationId = Ulid.describe('An invitation id (ULID).');
/** Cognito subjects are UUIDs. */
export const UserId = z.uuid('Expected a user id.');
export const EmailAddress = z.email('Expected an e-mail address.').max(254);
/** A link token from an e-mail: dot-separated ids and a base64url secret. */
export const LinkToken = z
  .string()
  .min(20)
  .max(300)
  .regex(/^[A-Za-z0-9._-]+$/, 'Not a valid link token.');

export const OrgPath = z.object({ orgId: OrganizationId });
export const MemberPath = z.object({ orgId: OrganizationId, userId: UserId });
export const InvitationPath = z.object({ orgId: OrganizationId, invitationId: InvitationId });
export const ProductId = Ulid.describe('A product id (ULID).');
export const ProductPath = z.object({ orgId: OrganizationId, productId: ProductId });
export const InvoicePath = z.object({ orgId: OrganizationId, invoiceId: Ulid });
