import countries from 'i18n-iso-countries/index.js';
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
/** An assigned ISO 3166-1 alpha-2 country code (CH, IT, …), upper-cased. */
export const CountryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(
    (code) => /^[A-Z]{2}$/.test(code) && countries.isValid(code),
    'Not a country: use its ISO 3166 two-letter code (CH, IT, DE, FR…).',
  );
